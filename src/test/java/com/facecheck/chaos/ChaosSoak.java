package com.facecheck.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.chaos.ChaosRequests.Sent;
import com.facecheck.chaos.WorkerProcess.Deployment;
import com.facecheck.contract.Json;
import com.facecheck.contract.VerificationResult;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.testing.TestImages;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 7, the soak: half an hour at half of the worker's peak rate with the provider's faults on (5xx, timeouts,
 * resets, a slow tail, malformed answers) and one SIGKILL halfway. Heap, resident memory, the state stores' size on
 * disk and the latency are sampled 60 times (every 30 seconds of half an hour); each must stay flat within each half
 * of the run (the kill restarts the process) and across the two. Every promise is checked at the end.
 *
 * <p>Not part of the test suite (its name does not end in Test): {@code ./facecheck chaos --soak [MINUTES]} runs it,
 * {@code --rate N} sets the requests per second (default 100, half of the steady state docs/benchmarks.md
 * measured). It writes its samples to {@code target/chaos-soak.json}.
 */
class ChaosSoak {

    /** Samples per run: a short trial run of the soak samples more often. */
    private static final int SAMPLES = 60;
    /** RocksDB writes its files in steps (memtables flushed, levels compacted): growth below this is not a trend. */
    private static final double STORE_SLACK_BYTES = 64 << 20;
    private static final SimulatorBehaviour FAULTS = new SimulatorBehaviour(200, 0.01, 2_000, 0.05, 0.01, 0.01,
            0.005, 0, 0, 0, 0);

    /**
     * One sample: seconds into the run, the worker's heap and RSS, its stores on disk, and the results since the last
     * one with their latency (from the worker reading the request to its result, -1 when none came).
     */
    record Sample(long second, long heapBytes, long residentBytes, long storeBytes, long results, long p50Millis,
                  long p99Millis) {
    }

    @TempDir
    Path dir;

    @Test
    void halfThePeakRateWithFaultsStaysFlat() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("facecheck.soak.minutes", 30));
        double rate = Double.parseDouble(System.getProperty("facecheck.soak.rate", "100"));
        int requests = (int) (rate * length.toSeconds());
        ChaosLog log = new ChaosLog("soak");
        log.say("%d min at %.0f requests/s, %d requests", length.toMinutes(), rate, requests);
        List<Sent> sent = ChaosRequests.mix("soak-", requests, 0, TestImages.jpegBase64(320, 400), log.seed());
        List<Sample> samples = new ArrayList<>();
        try (BrokerNodes broker = BrokerNodes.start(dir.resolve("kafka"), 1);
             Stage stage = Stage.set(broker.bootstrapServers(), (short) 1, dir, "chaos-soak", FAULTS,
                     "provider:\n  call-timeout: 5s\n")) {
            ProviderSimulator simulator = stage.simulator;
            Deployment deployment = stage.deployment;
            WorkerProcess worker = WorkerProcess.start(deployment, "a", "run1");
            int kills = 0;
            try (Outputs out = new Outputs(stage.bootstrap, stage.names);
                 Feeder feeder = Feeder.start(stage.bootstrap, stage.names.requests(), sent, rate)) {
                long started = System.nanoTime();
                Duration every = length.dividedBy(SAMPLES);
                long nextSample = started + every.toNanos();
                int read = 0;
                while (System.nanoTime() - started < length.toNanos()) {
                    out.poll(Duration.ofMillis(200));
                    if (System.nanoTime() >= nextSample) {
                        List<VerificationResult> window = out.resultsFrom(read);
                        read += window.size();
                        samples.add(sample(worker, Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                                window));
                        log.say("%s", samples.get(samples.size() - 1));
                        // After a restart held the loop up, the next sample is a whole interval on, not a burst.
                        nextSample = Math.max(nextSample + every.toNanos(), System.nanoTime() + every.toNanos() / 2);
                    }
                    if (kills == 0 && System.nanoTime() - started > length.toNanos() / 2) {
                        worker.kill();
                        kills++;
                        worker = WorkerProcess.start(deployment, "a", "run2");
                    }
                }
                feeder.awaitSent(Duration.ofMinutes(5));
                simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(200));
                out.awaitEvery(sent, Duration.ofMinutes(10));

                Promises.Report report = Promises.check(sent, out, simulator, Set.of());
                log.say("%s; kills %d", report.summary(), kills);
                write(samples, report, length, rate, kills);
                log.say("samples written to target/chaos-soak.json");
                report.assertKept();
                assertFlat(samples, Sample::heapBytes, "heap", 1.5);
                assertFlat(samples, Sample::residentBytes, "resident memory", 1.25);
                assertFlat(samples, Sample::p99Millis, "p99 latency", 2.0);
                assertThat(median(samples, Sample::storeBytes, 0.85, 1.0))
                        .as("state stores on disk, late against early")
                        .isLessThanOrEqualTo(2 * median(samples, Sample::storeBytes, 0.2, 0.35) + STORE_SLACK_BYTES);
            } finally {
                worker.close();
            }
        }
    }

    private Sample sample(WorkerProcess worker, long second, List<VerificationResult> window) throws Exception {
        long[] latencies = window.stream().filter(r -> r.receivedAt() != null && r.completedAt() != null)
                .mapToLong(r -> Duration.between(r.receivedAt(), r.completedAt()).toMillis()).sorted().toArray();
        return new Sample(second, (long) worker.metric("jvm_memory_used_bytes", "area=\"heap\""),
                worker.residentBytes(), sizeOf(dir.resolve("state-a")), window.size(), percentile(latencies, 0.5),
                percentile(latencies, 0.99));
    }

    /**
     * Each half of the run (the kill in the middle restarts the process) late against early, and the second half
     * against the first: a leak grows within a half, and what a restart does not clear grows across them.
     */
    private static void assertFlat(List<Sample> samples, ToDoubleFunction<Sample> metric, String what, double factor) {
        double firstEarly = median(samples, metric, 0.2, 0.35);
        double firstLate = median(samples, metric, 0.35, 0.5);
        double secondEarly = median(samples, metric, 0.7, 0.85);
        double secondLate = median(samples, metric, 0.85, 1.0);
        assertThat(firstLate).as("%s in the first half, late against early", what)
                .isLessThanOrEqualTo(factor * firstEarly);
        assertThat(secondLate).as("%s in the second half, late against early", what)
                .isLessThanOrEqualTo(factor * secondEarly);
        assertThat(secondLate).as("%s at the end against the end of the first half", what)
                .isLessThanOrEqualTo(factor * firstLate);
    }

    /** The median of the samples taken between the two fractions of the run. */
    private static double median(List<Sample> samples, ToDoubleFunction<Sample> metric, double from, double to) {
        long last = samples.get(samples.size() - 1).second();
        double[] values = samples.stream().filter(s -> s.second() >= from * last && s.second() <= to * last)
                .mapToDouble(metric).filter(value -> value >= 0).sorted().toArray();
        assertThat(values).as("samples between %.0f %% and %.0f %% of the run", 100 * from, 100 * to).isNotEmpty();
        return values[values.length / 2];
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    private static long sizeOf(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0; // a RocksDB file compacted away between the listing and the size
                }
            }).sum();
        }
    }

    private static void write(List<Sample> samples, Promises.Report report, Duration length, double rate, int kills) {
        ObjectNode json = Json.MAPPER.createObjectNode().put("minutes", length.toMinutes())
                .put("requestsPerSecond", rate).put("kills", kills).put("faults", FAULTS.toString());
        json.set("report", Json.MAPPER.valueToTree(report));
        ArrayNode array = json.putArray("samples");
        samples.forEach(s -> array.add(Json.MAPPER.valueToTree(s)));
        try {
            Files.writeString(Path.of("target", "chaos-soak.json"), json.toPrettyString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
