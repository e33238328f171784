package com.facecheck.topology;

import com.facecheck.identity.ChinaCalendar;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the worker's stream tasks report together for its gauges: the calls waiting to start, the calls not yet
 * settled, and what is left of the daily budget. Each task owns its own queue and budget share, and tasks come and
 * go with rebalances, so a gauge cannot hold on to one task's objects: each task adds its part here and takes it
 * back when it closes.
 */
public final class CallGauges {

    public static final String WAITING = "facecheck.calls.waiting";
    public static final String UNSETTLED = "facecheck.calls.unsettled";
    public static final String BUDGET_LEFT = "facecheck.budget.calls.left";

    /** A task's share of the budget, and what it had spent of it on {@code day} (ISO date) when it last counted. */
    private record Share(long calls, String day, long spent) {
        long left(String today) {
            return today.equals(day) ? Math.max(0, calls - spent) : calls;
        }
    }

    private final Clock clock;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger unsettled = new AtomicInteger();
    private final Map<Integer, Share> shares = new ConcurrentHashMap<>();

    /** @param clock tells the budget's day (Asia/Shanghai): a share not yet used today is whole */
    public CallGauges(Clock clock) {
        this.clock = clock;
    }

    /**
     * Registers {@value #WAITING} and {@value #UNSETTLED}, and {@value #BUDGET_LEFT} when there is a daily budget
     * (without one, nothing is left or spent).
     */
    public void register(MeterRegistry meters, boolean dailyBudget) {
        Gauge.builder(WAITING, waiting, AtomicInteger::get)
                .description("provider calls admitted and waiting to start: for a permit, the rate, the provider to"
                        + " be available, the budget, or a retry's due time").register(meters);
        Gauge.builder(UNSETTLED, unsettled, AtomicInteger::get)
                .description("provider calls started whose outcome is not committed yet: in flight, or answered and"
                        + " waiting for the next commit. A crash now would make them again").register(meters);
        if (dailyBudget) {
            Gauge.builder(BUDGET_LEFT, this, CallGauges::budgetLeft)
                    .description("calls left today (Asia/Shanghai) of the daily budget shares of the tasks this"
                            + " instance runs; summed over all instances, the budget left").register(meters);
        }
    }

    void waitingChanged(int delta) {
        waiting.addAndGet(delta);
    }

    void unsettledChanged(int delta) {
        unsettled.addAndGet(delta);
    }

    void spent(int partition, long share, String day, long spent) {
        shares.put(partition, new Share(share, day, spent));
    }

    /** The task of {@code partition} has closed here: its share is counted where it runs next. */
    void withdraw(int partition) {
        shares.remove(partition);
    }

    private double budgetLeft() {
        String today = ChinaCalendar.today(clock).toString();
        return shares.values().stream().mapToLong(share -> share.left(today)).sum();
    }
}
