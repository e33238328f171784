package com.facecheck.provider;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether one more provider call may start now, without ever waiting: a stream task asks, and when the
 * answer is no it keeps the call queued and asks again later.
 *
 * <p>Two limits. The calls-per-second limit holds for all worker instances together with no coordination:
 * each stream task owns one input partition and so {@code 1/partitions} of the global rate, and a partition
 * has one owner at a time. Within a task, a token bucket spreads the calls evenly over the second, and a log
 * of the calls started in the last second makes the limit exact: no window of a second (plus a small margin
 * for network jitter) holds more than the task's whole share, so the tasks together never exceed the global
 * rate, while tokens a late dispatch could not use are not lost. The in-flight limit is worker-wide and
 * also sizes the HTTP connection pool.
 */
public final class CallPermits {

    /**
     * The worker-wide cap on calls in flight, shared by all tasks of one worker, and the count of calls whose
     * answers no task has taken yet: a worker that stops waits for that count to reach zero, so that it hands its
     * tasks over with every answered call's result written and no call to repeat.
     */
    public static final class InFlight {
        private final int max;
        private final AtomicInteger current = new AtomicInteger();
        private final AtomicInteger unfinished = new AtomicInteger();
        private volatile boolean stopped;

        public InFlight(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("the in-flight limit must be at least 1");
            }
            this.max = max;
        }

        boolean tryAcquire() {
            if (stopped) {
                return false;
            }
            while (true) {
                int now = current.get();
                if (now >= max) {
                    return false;
                }
                if (current.compareAndSet(now, now + 1)) {
                    return true;
                }
            }
        }

        void release() {
            current.decrementAndGet();
        }

        /** No call starts from now on: the worker is stopping. */
        public void stopStarting() {
            stopped = true;
        }

        /** Calls started whose answers no task has taken yet: in flight, or answered and waiting. */
        public int unfinished() {
            return unfinished.get();
        }

        /** Calls holding a permit now: started and not yet answered. */
        public int current() {
            return current.get();
        }
    }

    /** Refill is counted in thousandths so that fractional shares (e.g. 2.5 calls/s) refill exactly. */
    private static final long SCALE = 1000;
    /** The log's window: a second, plus room for calls that leave evenly spaced to arrive a little bunched. */
    private static final long WINDOW_NANOS = 1_020_000_000L;

    private final Bucket rate;
    private final int perWindow;
    private final TimeMeter time;
    private final ArrayDeque<Long> started = new ArrayDeque<>();
    private final InFlight inFlight;

    private CallPermits(Bucket rate, int perWindow, TimeMeter time, InFlight inFlight) {
        this.rate = rate;
        this.perWindow = perWindow;
        this.time = time;
        this.inFlight = inFlight;
    }

    /**
     * Permits for one task.
     *
     * @param globalCallsPerSecond the limit for all instances together; 0 or less means no rate limit
     * @param partitions           partitions of the input topic, i.e. how many tasks share the rate
     */
    public static CallPermits forTask(double globalCallsPerSecond, int partitions, InFlight inFlight) {
        return forTask(globalCallsPerSecond, partitions, inFlight, TimeMeter.SYSTEM_NANOTIME);
    }

    static CallPermits forTask(double globalCallsPerSecond, int partitions, InFlight inFlight, TimeMeter time) {
        if (globalCallsPerSecond <= 0) {
            return new CallPermits(null, 0, time, inFlight);
        }
        double share = globalCallsPerSecond / partitions;
        int perWindow = (int) Math.floor(share);
        if (perWindow < 1) {
            throw new IllegalArgumentException("a rate of " + globalCallsPerSecond + " calls/s over " + partitions
                    + " partitions leaves each task less than one call per second; raise the rate or use fewer"
                    + " partitions for the request topic");
        }
        // Bursts of up to a tenth of the share make up for a stream thread that comes round late.
        long burst = Math.max(1, (long) Math.ceil(share / 10));
        long scaledTokens = Math.max(1, Math.round(share * SCALE));
        Bucket bucket = Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(scaledTokens, Duration.ofSeconds(SCALE)))
                .withCustomTimePrecision(time)
                .build();
        return new CallPermits(bucket, perWindow, time, inFlight);
    }

    /** Takes a permit for one call if both limits allow it now; the caller must {@link #release()} when it ends. */
    public boolean tryAcquire() {
        if (rate != null && !withinWindow()) {
            return false;
        }
        if (!inFlight.tryAcquire()) {
            return false;
        }
        if (rate != null) {
            if (!rate.tryConsume(1)) {
                inFlight.release();
                return false;
            }
            started.addLast(time.currentTimeNanos());
        }
        return true;
    }

    private boolean withinWindow() {
        long now = time.currentTimeNanos();
        while (!started.isEmpty() && started.peekFirst() <= now - WINDOW_NANOS) {
            started.pollFirst();
        }
        return started.size() < perWindow;
    }

    /** The call that held a permit has ended. */
    public void release() {
        inFlight.release();
    }

    /** A call really started with the permit: its answer is owed to a task. */
    public void callStarted() {
        inFlight.unfinished.incrementAndGet();
    }

    /** A task took a call's answer, or dropped it because the task closed. */
    public void answerTaken() {
        inFlight.unfinished.decrementAndGet();
    }
}
