package com.facecheck.provider;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops every call of the worker when the provider cannot serve any (quota spent, credentials wrong,
 * subscription expired, a wrong provider URL), instead of failing one call per request. While open, one call
 * at a time is let through as a probe, on a schedule; the first probe answered with anything but "unavailable"
 * closes it again.
 */
public final class ProviderCircuit {

    /** 1 while the circuit is open. */
    public static final String OPEN_METER = "facecheck.provider.circuit.open";

    private static final Logger LOG = LoggerFactory.getLogger(ProviderCircuit.class);

    private final Duration probeInterval;
    private final Counter openings;
    private volatile boolean open;
    private long openedAt;
    /** When the circuit last opened or closed: answers to calls started before then are about the past. */
    private long changedAt = Long.MIN_VALUE;
    private long nextProbeAt;
    private boolean probeInFlight;
    /** Numbers the probes, so that a probe given back late cannot free a later one. */
    private long probes;
    private String reason;

    /** Registers {@code facecheck.provider.circuit.open} (1 while open) and {@code facecheck.provider.unavailable}. */
    public ProviderCircuit(Duration probeInterval, MeterRegistry meters) {
        this.probeInterval = probeInterval;
        this.openings = Counter.builder("facecheck.provider.unavailable")
                .description("times the provider became unavailable to every call (quota, credentials, configuration)")
                .register(meters);
        Gauge.builder(OPEN_METER, this, circuit -> circuit.open ? 1 : 0)
                .description("1 while calls are paused because the provider is unavailable").register(meters);
    }

    /** While open: whether the next call may go as a probe now, without taking it (see {@link #pass}). */
    public synchronized boolean probeDue(long nowMillis) {
        return open && !probeInFlight && nowMillis >= nextProbeAt;
    }

    /** What the gateway said when the circuit opened; null while closed. */
    public synchronized String reason() {
        return open ? reason : null;
    }

    /**
     * Leave for one call to start now, or null. While open, leave is given once per probe interval and holds the
     * probe: a caller that does not make the call after all must {@link Pass#giveBack() give it back}, or no
     * probe would go again.
     */
    public synchronized Pass pass(long nowMillis) {
        if (!open) {
            return Pass.CLOSED;
        }
        if (probeInFlight || nowMillis < nextProbeAt) {
            return null;
        }
        probeInFlight = true;
        return new Pass(this, ++probes);
    }

    /** Leave for one call; for a probe, the probe itself until its answer is {@link #record recorded}. */
    public static final class Pass {

        static final Pass CLOSED = new Pass(null, 0);

        private final ProviderCircuit circuit;
        private final long probe;

        private Pass(ProviderCircuit circuit, long probe) {
            this.circuit = circuit;
            this.probe = probe;
        }

        /** The call will not be made: a probe may go with the next call. */
        public void giveBack() {
            if (circuit != null) {
                circuit.giveBack(probe);
            }
        }
    }

    private synchronized void giveBack(long probe) {
        if (probeInFlight && probes == probe) {
            probeInFlight = false;
        }
    }

    /**
     * Learns from an answer whether the provider is available. Only a call started since the circuit last opened or
     * closed can tell: one started before an outage may come back during it (a timeout, a slow answer) and would
     * close the circuit on every call waiting, only for them all to be refused; one started before the provider came
     * back may still bring its refusal afterwards and would pause every call for nothing.
     *
     * @param startedAtMillis when the call that brought the answer started
     */
    public synchronized void record(ProviderAnswer answer, long startedAtMillis, long nowMillis) {
        if (startedAtMillis < changedAt) {
            return;
        }
        if (answer instanceof ProviderAnswer.ProviderUnavailable unavailable) {
            if (!open) {
                open = true;
                changedAt = nowMillis;
                openings.increment();
                openedAt = nowMillis;
                reason = unavailable.message();
                LOG.error("ALERT provider unavailable ({}): all calls paused, a probe every {} s until it answers;"
                        + " renew the quota, or fix the credentials or the provider URL", reason,
                        probeInterval.toSeconds());
            }
            probeInFlight = false;
            nextProbeAt = nowMillis + probeInterval.toMillis();
        } else if (open) {
            open = false;
            changedAt = nowMillis;
            probeInFlight = false;
            LOG.warn("provider available again after {} s; calls resume", (nowMillis - openedAt) / 1000);
        }
    }

    public boolean isOpen() {
        return open;
    }
}
