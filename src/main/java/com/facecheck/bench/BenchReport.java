package com.facecheck.bench;

import com.facecheck.contract.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** The figures of a bench run: medians over rounds per contender and scenario, the ratios and the targets. */
final class BenchReport {

    private static final double MB = 1024 * 1024;

    /** One steady-state run of one contender. */
    record SteadyRun(Contender contender, Scenario scenario, int round, double firstResultSeconds,
                     double requestsPerSecond, long windowResults, double windowSeconds, boolean backlogRanOut,
                     double cpuSecondsPerThousand, double callsPerSecond, int busiestSecondCalls,
                     int maxCallsInFlight, long peakHeapBytes, long peakRssBytes) {

        String line() {
            return String.format(Locale.ROOT, "round %d %-20s %-22s first result %.2f s (backlog waiting), %.1f results/s over %d"
                            + " in %.1f s%s, %.2f CPU s/1000, %.1f calls/s (busiest second %d, %d in flight at most),"
                            + " heap %.0f MB, RSS %.0f MB", round,
                    scenario.label(), contender.label(), firstResultSeconds, requestsPerSecond, windowResults,
                    windowSeconds, backlogRanOut ? " (backlog ran out)" : "", cpuSecondsPerThousand,
                    callsPerSecond, busiestSecondCalls, maxCallsInFlight,
                    peakHeapBytes / MB, peakRssBytes / MB);
        }
    }

    /**
     * One latency run: requests sent at a steady rate, each timed from its send to its first result visible to a
     * read_committed consumer; {@code toDecision} ends when the contender decided it, {@code afterDecision} is the
     * rest (the output commit). Both only where the result says when it was decided. Every request sent is answered
     * before the contender stops, so provider calls and Kafka bytes (all topics but the requests') divide exactly.
     * It starts on an empty request topic, fed one request at a time until its first result: the time to that
     * result is what a deploy or an autoscaler waits for. {@code firstOfPerson} leaves out the requests that came
     * after another of the same person's, which the worker serves one after the other (its caps are exact).
     */
    record LatencyRun(Contender contender, Scenario scenario, int round, double firstResultSeconds,
                      double ratePerSecond, int requests, int lost, Percentiles total, Percentiles firstOfPerson,
                      Percentiles toDecision, Percentiles afterDecision, double callsPerRequest,
                      double kafkaBytesPerRequest) {

        /** What the contender added over the provider's own latency. */
        Percentiles added() {
            return total.minus(scenario.meanProviderMillis());
        }

        String line() {
            return String.format(Locale.ROOT, "round %d %-20s first result %.2f s; latency at %.1f requests/s: %d"
                            + " requests, %d without a"
                            + " result, p50 %.0f p99 %.0f max %.0f ms (added p50 %.0f p99 %.0f; a person's first request"
                            + " p99 %.0f); to the decision p50 %.0f"
                            + " p99 %.0f, after it p50 %.0f p99 %.0f ms; %.3f calls and %.1f KB to Kafka per request",
                    round, contender.label(), firstResultSeconds, ratePerSecond, requests, lost, total.p50(), total.p99(), total.max(),
                    added().p50(), added().p99(), firstOfPerson.p99(), toDecision.p50(), toDecision.p99(),
                    afterDecision.p50(),
                    afterDecision.p99(), callsPerRequest, kafkaBytesPerRequest / 1024);
        }
    }

    /** A target of the benchmark issue, met or not. */
    record Target(String name, double value, String bound, boolean met) {
    }

    private final BenchSettings settings;
    private final long photoBytes;
    private final List<SteadyRun> steady;
    private final List<LatencyRun> latency;

    BenchReport(BenchSettings settings, long photoBytes, List<SteadyRun> steady, List<LatencyRun> latency) {
        this.settings = settings;
        this.photoBytes = photoBytes;
        this.steady = List.copyOf(steady);
        this.latency = List.copyOf(latency);
    }

    List<SteadyRun> steady() {
        return steady;
    }

    List<LatencyRun> latency() {
        return latency;
    }

    /** The median of a figure over the rounds of one contender in one scenario; NaN when it did not run. */
    double median(Contender contender, Scenario scenario, ToDoubleFunction<SteadyRun> figure) {
        return median(steady.stream().filter(r -> r.contender() == contender && r.scenario().equals(scenario))
                .mapToDouble(figure).toArray());
    }

    double latencyMedian(Contender contender, ToDoubleFunction<LatencyRun> figure) {
        return median(latency.stream().filter(r -> r.contender() == contender).mapToDouble(figure).toArray());
    }

    static double median(double[] values) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The named ratios, each measured in this run. */
    Map<String, Double> ratios() {
        Scenario headline = settings.latencyScenario();
        double ours = median(Contender.FACECHECK, headline, SteadyRun::requestsPerSecond);
        Map<String, Double> ratios = new LinkedHashMap<>();
        ratios.put("facecheck/ideal", ours / ideal());
        ratios.put("facecheck/synchronous", ours / median(Contender.SYNCHRONOUS, headline, SteadyRun::requestsPerSecond));
        ratios.put("facecheck/plain", ours / median(Contender.PLAIN, headline, SteadyRun::requestsPerSecond));
        ratios.put("facecheck/flink", ours / median(Contender.FLINK, headline, SteadyRun::requestsPerSecond));
        ratios.put("kafkaBytesPerRequest/photo",
                latencyMedian(Contender.FACECHECK, LatencyRun::kafkaBytesPerRequest) / photoBytes);
        if (settings.rateScenario() != null) {
            ratios.put("achieved/limit", median(Contender.FACECHECK, settings.rateScenario(),
                    SteadyRun::callsPerSecond) / settings.rateScenario().callsPerSecond());
        }
        return ratios;
    }

    /**
     * What the headline scenario allows at most: its calls in flight over the provider's latency, or the worker's
     * own rate with no latency (the machine's CPU ceiling), whichever is lower; the first alone when the CPU
     * ceiling was not measured.
     */
    double ideal() {
        Scenario headline = settings.latencyScenario();
        double byLatency = headline.inFlight() / (headline.meanProviderMillis() / 1000);
        double ceiling = settings.scenarios().stream().filter(s -> s.latencyMillis() == 0 && s.tailRate() == 0)
                .mapToDouble(s -> median(Contender.FACECHECK, s, SteadyRun::requestsPerSecond)).max()
                .orElse(Double.NaN);
        return Double.isNaN(ceiling) ? byLatency : Math.min(byLatency, ceiling);
    }

    List<Target> targets() {
        Map<String, Double> ratios = ratios();
        Scenario headline = settings.latencyScenario();
        List<Target> targets = new ArrayList<>();
        targets.add(at("steady state / min(in flight ÷ latency, CPU ceiling)", ratios.get("facecheck/ideal"), 0.9));
        targets.add(at("steady state / synchronous processor", ratios.get("facecheck/synchronous"), 100));
        targets.add(at("steady state / plain consumer", ratios.get("facecheck/plain"), 0.9));
        targets.add(new Target("steady state / Flink Async I/O", ratios.get("facecheck/flink"), "> 1",
                ratios.get("facecheck/flink") > 1));
        targets.add(atMost("start to first result, s", latencyMedian(Contender.FACECHECK,
                LatencyRun::firstResultSeconds), 2));
        targets.add(atMost("added latency p99 at half of the peak, ms",
                latencyMedian(Contender.FACECHECK, r -> r.added().p99()), 300));
        if (settings.rateScenario() != null) {
            Scenario limited = settings.rateScenario();
            targets.add(at("calls/s achieved / limit", ratios.get("achieved/limit"), 0.95));
            targets.add(atMost("calls in the busiest second, limit " + (long) limited.callsPerSecond(),
                    median(Contender.FACECHECK, limited, r -> r.busiestSecondCalls()), limited.callsPerSecond()));
        }
        targets.add(atMost("provider calls per request", latencyMedian(Contender.FACECHECK,
                LatencyRun::callsPerRequest), 1.0));
        targets.add(atMost("Kafka bytes per request / photo bytes", ratios.get("kafkaBytesPerRequest/photo"), 3));
        return targets;
    }

    private static Target at(String name, double value, double least) {
        return new Target(name, value, "≥ " + trim(least), value >= least);
    }

    private static Target atMost(String name, double value, double most) {
        return new Target(name, value, "≤ " + trim(most), value <= most);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%nSteady state, medians of %d round(s); photos %.1f KB%n", settings.rounds(),
                photoBytes / 1024.0);
        out.printf(Locale.ROOT, "%-22s %-20s %9s %8s %9s %9s %8s %8s%n", "scenario", "contender", "results/s",
                "1st (bl)", "CPU s/1k", "calls/s", "heap MB", "RSS MB");
        List<Scenario> scenarios = new ArrayList<>(settings.scenarios());
        if (settings.rateScenario() != null) {
            scenarios.add(settings.rateScenario());
        }
        for (Scenario scenario : scenarios) {
            for (Contender contender : settings.contenders()) {
                if (steady.stream().noneMatch(r -> r.contender() == contender && r.scenario().equals(scenario))) {
                    continue;
                }
                out.printf(Locale.ROOT, "%-22s %-20s %9.1f %8.2f %9.2f %9.1f %8.0f %8.0f%n", scenario.label(),
                        contender.label(), median(contender, scenario, SteadyRun::requestsPerSecond),
                        median(contender, scenario, SteadyRun::firstResultSeconds),
                        median(contender, scenario, SteadyRun::cpuSecondsPerThousand),
                        median(contender, scenario, SteadyRun::callsPerSecond),
                        median(contender, scenario, r -> r.peakHeapBytes() / MB),
                        median(contender, scenario, r -> r.peakRssBytes() / MB));
            }
        }
        out.println("1st (bl): seconds from launch to the first result, the backlog waiting; CPU s/1k: CPU seconds"
                + " of the contender's process per 1,000 results in the window");
        out.printf(Locale.ROOT, "%nLatency at half of each contender's peak, %s, ms (added = over the provider's %.0f"
                + " ms)%n", settings.latencyScenario().label(), settings.latencyScenario().meanProviderMillis());
        out.printf(Locale.ROOT, "%-20s %7s %9s %6s %6s %6s %9s %9s %8s %8s %8s %8s %9s %7s%n", "contender", "first s",
                "requests/s", "p50", "p99", "max", "added p50", "added p99", "dec. p50", "dec. p99", "post p50", "post p99",
                "calls/req", "KB/req");
        for (Contender contender : settings.contenders()) {
            if (latency.stream().noneMatch(r -> r.contender() == contender)) {
                continue;
            }
            out.printf(Locale.ROOT, "%-20s %7.2f %9.1f %6.0f %6.0f %6.0f %9.0f %9.0f %8.0f %8.0f %8.0f %8.0f %9.3f %7.1f%n",
                    contender.label(), latencyMedian(contender, LatencyRun::firstResultSeconds),
                    latencyMedian(contender, LatencyRun::ratePerSecond),
                    latencyMedian(contender, r -> r.total().p50()), latencyMedian(contender, r -> r.total().p99()),
                    latencyMedian(contender, r -> r.total().max()), latencyMedian(contender, r -> r.added().p50()),
                    latencyMedian(contender, r -> r.added().p99()), latencyMedian(contender, r -> r.toDecision().p50()),
                    latencyMedian(contender, r -> r.toDecision().p99()),
                    latencyMedian(contender, r -> r.afterDecision().p50()),
                    latencyMedian(contender, r -> r.afterDecision().p99()),
                    latencyMedian(contender, LatencyRun::callsPerRequest),
                    latencyMedian(contender, LatencyRun::kafkaBytesPerRequest) / 1024);
        }
        out.println("first s: from launch to the first result, requests arriving one at a time; dec.: to the"
                + " decision (input, repartition, claims, the call); post: after it (the output commit)");
        out.printf(Locale.ROOT, "%nTargets (ideal at %s: %.1f results/s)%n", settings.latencyScenario().label(), ideal());
        for (Target target : targets()) {
            out.printf(Locale.ROOT, "  %-4s %-55s %10.3f  %s%n", Double.isNaN(target.value()) ? "n/a"
                    : target.met() ? "met" : "MISS", target.name(), target.value(), target.bound());
        }
    }

    /** Every figure, the ratios and the targets, with the machine they were measured on. */
    ObjectNode json() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("machine", Machine.describe());
        ObjectNode run = root.putObject("settings");
        run.put("mode", settings.full() ? "full" : "quick").put("rounds", settings.rounds())
                .put("warmupSeconds", settings.warmup().toSeconds()).put("windowSeconds", settings.window().toSeconds())
                .put("windowRequests", settings.windowRequests()).put("backlog", settings.backlog())
                .put("commitIntervalMillis", settings.commitIntervalMillis()).put("photoBytes", photoBytes);
        ArrayNode steadyRuns = root.putArray("steady");
        steady.forEach(r -> steadyRuns.add(Json.MAPPER.<ObjectNode>valueToTree(r)));
        ArrayNode latencyRuns = root.putArray("latency");
        latency.forEach(r -> latencyRuns.add(((ObjectNode) Json.MAPPER.valueToTree(r))
                .set("added", Json.MAPPER.valueToTree(r.added()))));
        ObjectNode ratios = root.putObject("ratios");
        ratios().forEach(ratios::put);
        ArrayNode targets = root.putArray("targets");
        targets().forEach(t -> targets.add(Json.MAPPER.valueToTree(t)));
        return root;
    }

    void writeJson(Path file) throws IOException {
        Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json()));
    }

    /** throughput.png (results/s against calls in flight at the headline latency) and latency.png. */
    void writeCharts(Path dir) throws IOException {
        Files.createDirectories(dir);
        Scenario headline = settings.latencyScenario();
        Map<String, SortedMap<Integer, Double>> throughput = new LinkedHashMap<>();
        Map<String, Map<String, Double>> percentiles = new LinkedHashMap<>();
        for (Contender contender : settings.contenders()) {
            SortedMap<Integer, Double> byInFlight = new TreeMap<>();
            settings.scenarios().stream().filter(s -> s.latencyMillis() == headline.latencyMillis()
                            && s.tailRate() == 0 && s.callsPerSecond() == 0)
                    .forEach(s -> {
                        double rate = median(contender, s, SteadyRun::requestsPerSecond);
                        if (!Double.isNaN(rate)) {
                            byInFlight.put(s.inFlight(), rate);
                        }
                    });
            if (!byInFlight.isEmpty()) {
                throughput.put(contender.label(), byInFlight);
            }
            if (latency.stream().anyMatch(r -> r.contender() == contender)) {
                Map<String, Double> ms = new LinkedHashMap<>();
                ms.put("p50", latencyMedian(contender, r -> r.total().p50()));
                ms.put("p99", latencyMedian(contender, r -> r.total().p99()));
                ms.put("max", latencyMedian(contender, r -> r.total().max()));
                percentiles.put(contender.label(), ms);
            }
        }
        Charts.throughputByInFlight("Steady state at " + headline.latencyMillis() + " ms provider latency",
                throughput, dir.resolve("throughput.png"));
        Charts.latencyPercentiles("End-to-end latency at half of each contender's peak (" + headline.label() + ")",
                percentiles, dir.resolve("latency.png"));
    }
}
