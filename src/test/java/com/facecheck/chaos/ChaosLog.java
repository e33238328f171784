package com.facecheck.chaos;

/**
 * What a scenario did and when, in seconds since it started, on the test's output: a failure in CI then shows which
 * step took the time, and the numbers go to docs/reliability.md.
 */
final class ChaosLog {

    private final String scenario;
    private final long started = System.nanoTime();

    ChaosLog(String scenario, long seed) {
        this.scenario = scenario;
        say("seed %d (-Dfacecheck.chaos.seed=%d, or ./facecheck chaos --seed %d, repeats its random moments)", seed,
                seed, seed);
    }

    void say(String format, Object... args) {
        System.out.printf("%s +%.1f s: %s%n", scenario, (System.nanoTime() - started) / 1e9,
                String.format(format, args));
    }
}
