package com.facecheck.chaos;

import java.util.Random;

/**
 * A scenario's seed and what it did when, in seconds since it started, on the test's output: a failure in CI then
 * shows which step took the time and how to repeat its random moments, and the numbers go to docs/reliability.md.
 */
final class ChaosLog {

    private final String scenario;
    private final long seed;
    private final long started = System.nanoTime();

    /** Starts the log of {@code scenario}, its seed {@code -Dfacecheck.chaos.seed} or else new. */
    ChaosLog(String scenario) {
        this.scenario = scenario;
        this.seed = Long.getLong("facecheck.chaos.seed", System.nanoTime());
        say("seed %d (-Dfacecheck.chaos.seed=%d, or ./facecheck chaos --seed %d, repeats its random moments)", seed,
                seed, seed);
    }

    long seed() {
        return seed;
    }

    /** The scenario's random moments and choices. */
    Random random() {
        return new Random(seed);
    }

    void say(String format, Object... args) {
        System.out.printf("%s +%.1f s: %s%n", scenario, (System.nanoTime() - started) / 1e9,
                String.format(format, args));
    }
}
