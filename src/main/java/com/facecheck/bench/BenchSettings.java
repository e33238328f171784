package com.facecheck.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one bench run does.
 *
 * @param scenarios       the steady-state scenarios, each run by every contender it applies to
 * @param latencyScenario the scenario of the latency runs (at half of each contender's peak in it)
 * @param rateScenario    the worker's run under a calls-per-second limit; null for none
 * @param warmup          after the first result, before the window opens
 * @param window          the steady-state window closes after this long, or after {@code windowRequests} results
 * @param backlog         requests waiting on the request topic before each steady run
 * @param latencyRun      how long the latency runs send at their rate
 * @param profile         whether each contender records a JFR profile beside its output
 */
record BenchSettings(boolean full, int rounds, List<Contender> contenders, List<Scenario> scenarios,
                     Scenario latencyScenario, Scenario rateScenario, Duration warmup, Duration window,
                     long windowRequests, int backlog, Duration latencyRun, long commitIntervalMillis, boolean profile,
                     Path flinkJar, Path workDir) {

    /** Under three minutes: the headline scenario only, one round, short windows. */
    static BenchSettings quick(List<Contender> contenders, long commitIntervalMillis, boolean profile, Path flinkJar,
                               Path workDir) {
        Scenario headline = Scenario.of(200, 256);
        return new BenchSettings(false, 1, contenders, List.of(headline), headline, headline.rateLimited(50),
                Duration.ofSeconds(2), Duration.ofSeconds(5), 2_000, 3_000, Duration.ofSeconds(5),
                commitIntervalMillis, profile, flinkJar, workDir);
    }

    /**
     * The documented figures: 200 ms at 64, 256 and 1,024 calls in flight; the CPU ceiling (0 ms); 1 s with a long
     * tail (5 % of calls 4 s longer); a window of 30 s or 10,000 results after a 20 s warm-up, which a fresh JVM
     * spends compiling (its JIT took half of the worker's CPU in its first 15 s).
     */
    static BenchSettings full(int rounds, List<Contender> contenders, long commitIntervalMillis, boolean profile,
                              Path flinkJar, Path workDir) {
        Scenario headline = Scenario.of(200, 256);
        return new BenchSettings(true, rounds, contenders, List.of(Scenario.of(200, 64), headline,
                Scenario.of(200, 1024), Scenario.of(0, 256), Scenario.of(1000, 1024).withTail(0.05, 4000)),
                headline, headline.rateLimited(100), Duration.ofSeconds(20), Duration.ofSeconds(30), 10_000, 30_000,
                Duration.ofSeconds(30), commitIntervalMillis, profile, flinkJar, workDir);
    }

    /** Only the steady-state scenarios whose labels are given; the latency and rate runs stay. */
    BenchSettings onlyScenarios(List<String> labels) {
        List<Scenario> kept = scenarios.stream().filter(s -> labels.contains(s.label())).toList();
        if (kept.size() != labels.size()) {
            throw new IllegalArgumentException("no such scenario among " + labels + "; this mode has "
                    + scenarios.stream().map(Scenario::label).toList());
        }
        return new BenchSettings(full, rounds, contenders, kept, latencyScenario, rateScenario, warmup, window,
                windowRequests, backlog, latencyRun, commitIntervalMillis, profile, flinkJar, workDir);
    }

    BenchSettings withRounds(int count) {
        return new BenchSettings(full, count, contenders, scenarios, latencyScenario, rateScenario, warmup, window,
                windowRequests, backlog, latencyRun, commitIntervalMillis, profile, flinkJar, workDir);
    }

    /**
     * Whether {@code contender} runs {@code scenario}: the synchronous processor has no calls in flight to vary, so
     * it runs each provider latency once.
     */
    boolean runs(Contender contender, Scenario scenario) {
        return contender != Contender.SYNCHRONOUS || scenario.inFlight() == latencyScenario.inFlight()
                || scenario.tailRate() > 0;
    }
}
