package com.facecheck.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.bench.BenchReport.LatencyRun;
import com.facecheck.bench.BenchReport.SteadyRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench itself, shrunk to seconds: a broker and simulators of their own, the worker, the synchronous processor
 * and the plain consumer each a process, so that `facecheck bench` is known to work without running it for minutes.
 * The figures are not checked against targets (a loaded CI machine makes them meaningless), only for what must
 * hold whatever the speed. Flink is left out here: its jar is built apart from the product's.
 */
class BenchSmokeTest {

    @Test
    void everyContenderRunsAndEveryLatencyRequestIsAnswered(@TempDir Path work) throws Exception {
        Scenario scenario = Scenario.of(50, 64);
        BenchSettings settings = new BenchSettings(false, 1,
                List.of(Contender.FACECHECK, Contender.SYNCHRONOUS, Contender.PLAIN), List.of(scenario), scenario,
                null, Duration.ofSeconds(1), Duration.ofSeconds(3), 200, 300, Duration.ofSeconds(3), 100, false,
                Path.of("no-flink.jar"), work);
        StringWriter out = new StringWriter();
        BenchReport report = new Bench(settings, new PrintWriter(out, true)).run();
        long photo = new BenchInput().photoBytes();

        assertThat(report.steady()).extracting(SteadyRun::contender)
                .containsExactlyInAnyOrder(Contender.FACECHECK, Contender.SYNCHRONOUS, Contender.PLAIN);
        for (SteadyRun run : report.steady()) {
            assertThat(run.requestsPerSecond()).as(run.line()).isPositive();
            assertThat(run.firstResultSeconds()).as(run.line()).isPositive();
            assertThat(run.peakRssBytes()).as(run.line()).isPositive();
            assertThat(run.peakHeapBytes()).as(run.line()).isPositive();
        }
        assertThat(report.latency()).hasSize(3);
        for (LatencyRun run : report.latency()) {
            assertThat(run.lost()).as(run.line()).isZero();
            assertThat(run.total().p50()).as(run.line()).isGreaterThanOrEqualTo(scenario.latencyMillis());
        }
        LatencyRun ours = report.latency().stream().filter(r -> r.contender() == Contender.FACECHECK).findFirst()
                .orElseThrow();
        // Sealed photo on the by-person topic and in the pending-photo changelog: twice the photo, and a little.
        assertThat(ours.kafkaBytesPerRequest() / photo).as(ours.line()).isBetween(1.5, 3.0);
        assertThat(ours.callsPerRequest()).as(ours.line()).isLessThanOrEqualTo(1.0);
        StringWriter table = new StringWriter();
        report.print(new PrintWriter(table, true));
        assertThat(table.toString()).contains("Targets").contains("facecheck-streams").contains("plain consumer");
        report.writeJson(work.resolve("bench.json"));
        assertThat(Files.readString(work.resolve("bench.json"))).contains("\"ratios\"").contains("\"targets\"");
    }
}
