package com.facecheck.topology;

import com.facecheck.provider.CallPermits;
import com.facecheck.provider.Provider;
import com.facecheck.provider.ProviderCircuit;
import com.facecheck.provider.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How the topology calls the provider.
 *
 * @param permits       makes one stream task's permits (its share of the rate, the shared in-flight cap)
 * @param circuit       shared by every task of the worker: open while the provider can serve no one
 * @param onUnavailable what happens to requests while the provider is unavailable
 * @param backpressure  when a task stops taking new requests
 * @param budget        most calls a day; while it is spent, the provider counts as unavailable
 * @param meters        where calls and results are counted
 */
public record CallSetup(Provider provider, Supplier<CallPermits> permits, ProviderCircuit circuit, RetryPolicy retry,
                        OnUnavailable onUnavailable, Backpressure backpressure, Budget budget, MeterRegistry meters) {

    /** {@code budget.daily-calls} for all instances together, split over the request topic's partitions. */
    public record Budget(long dailyCalls, int partitions) {

        public static final Budget NONE = new Budget(0, 1);

        public Budget {
            if (dailyCalls < 0 || partitions < 1) {
                throw new IllegalArgumentException("the daily budget must be 0 (none) or more, over 1 or more partitions");
            }
        }
    }

    /** While the provider is unavailable (quota, credentials), requests wait, or fail over to the dead letters. */
    public enum OnUnavailable {
        PAUSE, DEAD_LETTER
    }

    /**
     * When a task has {@code highWater} admitted calls not yet answered, it takes its next request only once one
     * is answered, or after {@code maxWait}: the wait stays far inside {@code max.poll.interval.ms}, and a
     * request taken anyway waits on disk, in the store, not in memory.
     */
    public record Backpressure(int highWater, Duration maxWait) {

        public static final Backpressure DEFAULT = new Backpressure(1_000, Duration.ofSeconds(1));

        public Backpressure {
            if (highWater < 1) {
                throw new IllegalArgumentException("the back-pressure high-water mark must be at least 1");
            }
            if (maxWait == null || maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("the back-pressure wait must be 0–10 s: longer waits put the"
                        + " stream thread's poll interval at risk");
            }
        }
    }
}
