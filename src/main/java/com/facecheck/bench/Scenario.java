package com.facecheck.bench;

import java.util.Locale;

/**
 * What the provider does and how many calls a contender may keep in flight.
 *
 * @param latencyMillis  the simulator's latency on every answer
 * @param tailRate       the fraction of answers that take {@code tailMillis} more
 * @param inFlight       calls in flight at most (the worker's limit, the plain consumer's, Flink's capacity)
 * @param callsPerSecond the worker's calls-per-second limit; 0 for none
 */
record Scenario(long latencyMillis, double tailRate, long tailMillis, int inFlight, double callsPerSecond) {

    static Scenario of(long latencyMillis, int inFlight) {
        return new Scenario(latencyMillis, 0, 0, inFlight, 0);
    }

    Scenario withTail(double rate, long millis) {
        return new Scenario(latencyMillis, rate, millis, inFlight, callsPerSecond);
    }

    Scenario rateLimited(double perSecond) {
        return new Scenario(latencyMillis, tailRate, tailMillis, inFlight, perSecond);
    }

    /** The simulator's behaviour, as its admin endpoint takes it. */
    String simulatorBehaviour() {
        return String.format(Locale.ROOT, "{\"latencyMillis\":%d,\"tailRate\":%s,\"tailMillis\":%d}", latencyMillis,
                tailRate, tailMillis);
    }

    /** The mean latency the provider adds to a call. */
    double meanProviderMillis() {
        return latencyMillis + tailRate * tailMillis;
    }

    /** Short and stable, for tables and JSON: {@code 200ms/256}, {@code 1000ms+5%x4000ms/1024}, {@code …@100/s}. */
    String label() {
        String tail = tailRate > 0 ? String.format(Locale.ROOT, "+%s%%x%dms", trim(tailRate * 100), tailMillis) : "";
        String rate = callsPerSecond > 0 ? "@" + trim(callsPerSecond) + "/s" : "";
        return latencyMillis + "ms" + tail + "/" + inFlight + rate;
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
