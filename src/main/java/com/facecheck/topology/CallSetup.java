package com.facecheck.topology;

import com.facecheck.provider.CallPermits;
import com.facecheck.provider.Provider;
import com.facecheck.provider.ProviderCircuit;
import com.facecheck.provider.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * How the topology calls the provider.
 *
 * @param permits       makes one stream task's permits (its share of the rate, the shared in-flight cap)
 * @param circuit       shared by every task of the worker: open while the provider can serve no one
 * @param onUnavailable what happens to requests while the provider is unavailable
 * @param budget        most calls a day; while it is spent, the provider counts as unavailable
 * @param meters        where calls and results are counted
 * @param gauges        where every task reports its calls waiting and its budget left, for the worker's gauges
 */
public record CallSetup(Provider provider, Supplier<CallPermits> permits, ProviderCircuit circuit, RetryPolicy retry,
                        OnUnavailable onUnavailable, Budget budget, MeterRegistry meters, CallGauges gauges) {

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
}
