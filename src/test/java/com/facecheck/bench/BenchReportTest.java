package com.facecheck.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.bench.BenchReport.LatencyRun;
import com.facecheck.bench.BenchReport.SteadyRun;
import com.facecheck.bench.BenchReport.Target;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    private static final Scenario HEADLINE = Scenario.of(200, 256);
    private static final Scenario CEILING = Scenario.of(0, 256);
    private static final BenchSettings SETTINGS = BenchSettings.full(3, List.of(Contender.values()), 100, false,
            Path.of("flink.jar"), Path.of("work")).onlyScenarios(List.of("200ms/256", "0ms/256"));

    @Test
    void ratiosAreMediansOfTheSameRunAndTheIdealIsTheLowerBound() {
        List<SteadyRun> steady = new ArrayList<>();
        // Medians: ours 1,000 (900, 1,000, 5,000), plain 1,050, synchronous 5, Flink 800; CPU ceiling 1,100.
        double[][] rates = {{900, 1_000, 5_000}, {1_050, 1_050, 1_050}, {5, 5, 5}, {800, 700, 900}};
        Contender[] contenders = {Contender.FACECHECK, Contender.PLAIN, Contender.SYNCHRONOUS, Contender.FLINK};
        for (int c = 0; c < contenders.length; c++) {
            for (int round = 1; round <= 3; round++) {
                steady.add(run(contenders[c], HEADLINE, round, rates[c][round - 1]));
            }
        }
        steady.add(run(Contender.FACECHECK, CEILING, 1, 1_100));
        List<LatencyRun> latency = List.of(latency(Contender.FACECHECK, 1.5, 250, 0.99, 3.2 * 40_000));
        BenchReport report = new BenchReport(SETTINGS, 40_000, steady, latency);

        assertThat(report.ideal()).isEqualTo(1_100); // min(256 / 0.2 s = 1,280, 1,100)
        Map<String, Double> ratios = report.ratios();
        assertThat(ratios.get("facecheck/ideal")).isEqualTo(1_000 / 1_100.0);
        assertThat(ratios.get("facecheck/plain")).isEqualTo(1_000 / 1_050.0);
        assertThat(ratios.get("facecheck/synchronous")).isEqualTo(200.0);
        assertThat(ratios.get("facecheck/flink")).isEqualTo(1_000 / 800.0);
        assertThat(ratios.get("kafkaBytesPerRequest/photo")).isEqualTo(3.2);

        Map<String, Target> targets = report.targets().stream().collect(Collectors.toMap(Target::name,
                Function.identity()));
        assertThat(targets.get("steady state / min(in flight ÷ latency, CPU ceiling)").met()).isTrue();
        assertThat(targets.get("steady state / plain consumer").met()).isTrue();
        assertThat(targets.get("start to first result, s").met()).isTrue();
        assertThat(targets.get("added latency p99 at half of the peak, ms").met()).isTrue();
        assertThat(targets.get("Kafka bytes per request / photo bytes").met()).isFalse();

        JsonNode json = report.json();
        assertThat(json.path("steady")).hasSize(13);
        assertThat(json.path("ratios").path("facecheck/synchronous").asDouble()).isEqualTo(200.0);
        assertThat(json.path("latency").get(0).path("added").path("p99").asDouble()).isEqualTo(50.0);
        assertThat(json.path("machine").path("cores").asInt()).isPositive();
    }

    private static SteadyRun run(Contender contender, Scenario scenario, int round, double rate) {
        return new SteadyRun(contender, scenario, round, 3.0, rate, (long) (rate * 30), 30, false, 1.0, rate, 0, 0,
                100L << 20, 300L << 20);
    }

    private static LatencyRun latency(Contender contender, double first, long p99, double calls, double bytes) {
        Percentiles total = Percentiles.of(List.of(210L, p99));
        return new LatencyRun(contender, HEADLINE, 1, first, 100, 200, 0, total, total, total, total, calls, bytes);
    }
}
