package com.facecheck.simulator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How the simulator misbehaves, switchable at run time over {@code PUT /admin/behaviour}: added latency with an
 * optional long tail, faults at given rates, gateway flow control, a quota and the provider's 24-hour limits.
 * Rates are fractions 0–1 of calls; a zero or negative limit means none.
 *
 * @param latencyMillis   added to every answer
 * @param tailRate        fraction of answers that take {@code tailMillis} more (a long tail)
 * @param serverErrorRate answered by the gateway with 500/503/504
 * @param timeoutRate     never answered: the client must time out
 * @param resetRate       the connection is closed without an answer
 * @param malformedRate   HTTP 200, billed, with a body cut short: not JSON
 * @param callsPerSecond  gateway flow control: calls over this in a second get {@code Throttled by API Flow Control}
 * @param quota           billed calls the subscription has left in all; then {@code Quota Exhausted}
 * @param perIdDaily      provider limit of calls for one ID number in 24 h; then error 8
 * @param perNameDaily    provider limit of calls for one name in 24 h; then error 8
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SimulatorBehaviour(long latencyMillis, double tailRate, long tailMillis, double serverErrorRate,
                                 double timeoutRate, double resetRate, double malformedRate, int callsPerSecond,
                                 long quota, int perIdDaily, int perNameDaily) {

    public SimulatorBehaviour {
        requireRate("tailRate", tailRate);
        requireRate("serverErrorRate", serverErrorRate);
        requireRate("timeoutRate", timeoutRate);
        requireRate("resetRate", resetRate);
        requireRate("malformedRate", malformedRate);
        if (serverErrorRate + timeoutRate + resetRate + malformedRate > 1.0) {
            throw new IllegalArgumentException("the fault rates add up to more than 1");
        }
        if (latencyMillis < 0 || tailMillis < 0) {
            throw new IllegalArgumentException("latencies cannot be negative");
        }
    }

    /** A well-behaved provider: instant, no faults, no limits. */
    public static SimulatorBehaviour wellBehaved() {
        return new SimulatorBehaviour(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public SimulatorBehaviour withLatency(long millis) {
        return new SimulatorBehaviour(millis, tailRate, tailMillis, serverErrorRate, timeoutRate, resetRate,
                malformedRate, callsPerSecond, quota, perIdDaily, perNameDaily);
    }

    public SimulatorBehaviour withFaults(double serverErrors, double timeouts, double resets, double malformed) {
        return new SimulatorBehaviour(latencyMillis, tailRate, tailMillis, serverErrors, timeouts, resets, malformed,
                callsPerSecond, quota, perIdDaily, perNameDaily);
    }

    public SimulatorBehaviour withLimits(int perSecond, long quotaLeft, int perId, int perName) {
        return new SimulatorBehaviour(latencyMillis, tailRate, tailMillis, serverErrorRate, timeoutRate, resetRate,
                malformedRate, perSecond, quotaLeft, perId, perName);
    }

    private static void requireRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, not " + rate);
        }
    }
}
