package com.facecheck.bench;

import com.facecheck.local.EmbeddedKafka;
import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import com.facecheck.app.Worker;
import com.facecheck.app.WorkerConfig;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.simulator.SimulatedIdentity;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * How exactly the calls-per-second limit holds: a backlog of requests through the real worker (4 partitions,
 * so 4 tasks each owning a quarter of the rate) against the simulator, which counts the calls it sees in every
 * one-second window. The simulator and the broker run in their own processes, as they are remote in
 * production: their pauses must not stall the worker's clock, nor the worker's the simulator's. Run with
 * {@code bench/rate-limit [RATE [SECONDS]]}.
 */
public final class RateLimitAccuracy {

    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int partitions = 4;
        int requests = (int) (rate * seconds);
        // Distinct people: the caps and the one-request-of-a-person-at-a-time rule must not be what is measured.
        List<SimulatedIdentity> people = IntStream.range(0, (int) (rate * seconds))
                .mapToObj(i -> new SimulatedIdentity(TestIds.name(i), TestIds.idNumber(50_000 + i), 5, null,
                        null, null, null)).toList();
        String image = TestImages.jpegBase64(320, 400);
        String appCode = "rate-benchmark-appcode";
        Path state = Files.createTempDirectory("facecheck-bench-");
        try (SimulatorProcess simulator = SimulatorProcess.start(appCode);
             EmbeddedKafka kafka = EmbeddedKafka.startProcess()) {
            ProviderUrl url = simulator.url();
            simulator.behaviour("{\"latencyMillis\":20}");
            TopicNames names = TopicNames.defaults();
            TopicSetup.createMissing(kafka.bootstrapServers(), names, partitions, (short) 1);
            WorkerConfig config = WorkerConfig.defaults(kafka.bootstrapServers(), url, new Credentials.AppCodeAuth(AppCode.of(appCode)),
                    "rate-benchmark-secret-0123456789", state).with("provider.calls-per-second", rate);
            // The backlog is written before the worker starts, so that nothing else runs in its JVM meanwhile, and
            // spread evenly, so that what is measured is the limiter, not a skew in the input.
            Traffic.send(kafka.bootstrapServers(), names.requests(), Traffic.requests("rate-", people, requests, image),
                    partitions);
            try (Worker worker = Worker.start(config);
                 OutputCollector out = new OutputCollector(kafka.bootstrapServers(), names.outputs())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(seconds * 3L + 30).toNanos();
                while (out.count(r -> names.results().containsValue(r.topic())) < requests && System.nanoTime() < deadline) {
                    out.poll(Duration.ofMillis(500));
                }
                long results = out.count(r -> names.results().containsValue(r.topic()));
                var counters = simulator.counters();
                int max = counters.path("maxCallsInAnySecond").asInt();
                double achieved = counters.path("averageCallRate").asDouble();
                System.out.printf(Locale.ROOT, "%nrate limit %.0f calls/s over %d partitions; %d requests, %d results%n",
                        rate, partitions, requests, results);
                System.out.printf(Locale.ROOT, "most calls the simulator saw in any one-second window: %d (limit %.0f) -> %s%n",
                        max, rate, max <= rate ? "held" : "EXCEEDED");
                System.out.printf(Locale.ROOT, "achieved rate: %.1f calls/s = %.3f of the limit (target >= 0.95)%n",
                        achieved, achieved / rate);
            }
        }
    }
}
