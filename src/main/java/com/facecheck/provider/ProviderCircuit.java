package com.facecheck.provider;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops every call of the worker when the provider cannot serve any (quota spent, credentials wrong,
 * subscription expired), instead of failing one call per request. While open, one call at a time is let
 * through as a probe, on a schedule; the first answer that is not "unavailable" closes it again.
 */
public final class ProviderCircuit {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderCircuit.class);

    private final Duration probeInterval;
    private boolean open;
    private long openedAt;
    private long nextProbeAt;
    private boolean probeInFlight;
    private String reason;

    public ProviderCircuit(Duration probeInterval) {
        this.probeInterval = probeInterval;
    }

    /** Whether a call may start now; while open, true once per probe interval. */
    public synchronized boolean allowsCall(long nowMillis) {
        if (!open) {
            return true;
        }
        if (probeInFlight || nowMillis < nextProbeAt) {
            return false;
        }
        probeInFlight = true;
        return true;
    }

    /** Learns from every answer whether the provider is available. */
    public synchronized void record(ProviderAnswer answer, long nowMillis) {
        if (answer instanceof ProviderAnswer.ProviderUnavailable unavailable) {
            if (!open) {
                open = true;
                openedAt = nowMillis;
                reason = unavailable.message();
                LOG.error("ALERT provider unavailable ({}): all calls paused, a probe every {} s until it answers;"
                        + " renew the quota or fix the credentials", reason, probeInterval.toSeconds());
            }
            probeInFlight = false;
            nextProbeAt = nowMillis + probeInterval.toMillis();
        } else if (open) {
            open = false;
            probeInFlight = false;
            LOG.warn("provider available again after {} s; calls resume", (nowMillis - openedAt) / 1000);
        }
    }

    public synchronized boolean isOpen() {
        return open;
    }
}
