package com.facecheck.topology;

import com.facecheck.provider.CallPermits;
import io.micrometer.core.instrument.MeterRegistry;
import com.facecheck.provider.Provider;
import com.facecheck.provider.ProviderCircuit;
import com.facecheck.provider.RetryPolicy;
import java.util.function.Supplier;

/**
 * How the topology calls the provider.
 *
 * @param permits       makes one stream task's permits (its share of the rate, the shared in-flight cap)
 * @param circuit       shared by every task of the worker: open while the provider can serve no one
 * @param onUnavailable what happens to requests while the provider is unavailable
 * @param meters        where calls and results are counted
 */
public record CallSetup(Provider provider, Supplier<CallPermits> permits, ProviderCircuit circuit, RetryPolicy retry,
                        OnUnavailable onUnavailable, MeterRegistry meters) {

    /** While the provider is unavailable (quota, credentials), requests wait, or fail over to the dead letters. */
    public enum OnUnavailable {
        PAUSE, DEAD_LETTER
    }
}
