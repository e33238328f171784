package com.facecheck.bench;

import com.facecheck.app.EmbeddedKafka;
import com.facecheck.app.OutputCollector;
import com.facecheck.app.TopicSetup;
import com.facecheck.app.Worker;
import com.facecheck.app.WorkerConfig;
import com.facecheck.contract.Json;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderSimulator;
import com.facecheck.provider.SimulatedIdentity;
import com.facecheck.provider.SimulatorBehaviour;
import com.facecheck.testing.TestImages;
import com.facecheck.topology.TopicNames;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How exactly the calls-per-second limit holds: a backlog of requests through the real worker (4 partitions,
 * so 4 tasks each owning a quarter of the rate) against the simulator, which counts the calls it sees in every
 * one-second window. Run with {@code bench/rate-limit [RATE [SECONDS]]}.
 */
public final class RateLimitAccuracy {

    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int partitions = 4;
        int requests = (int) (rate * seconds);
        List<SimulatedIdentity> people = ProviderSimulator.defaultIdentities();
        String image = TestImages.jpegBase64(320, 400);
        Vertx vertx = Vertx.vertx();
        AppCode appCode = AppCode.of("rate-benchmark-appcode");
        Path state = Files.createTempDirectory("facecheck-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             ProviderSimulator simulator = new ProviderSimulator(vertx, ProviderSimulator.Accounts.appCodeOnly(appCode), people)) {
            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(20));
            URI url = URI.create("http://127.0.0.1:" + simulator.start(0));
            TopicNames names = TopicNames.defaults();
            TopicSetup.createMissing(kafka.bootstrapServers(), names, partitions, (short) 1);
            WorkerConfig config = WorkerConfig.defaults(kafka.bootstrapServers(), url, new Credentials.AppCodeAuth(appCode),
                    "rate-benchmark-secret-0123456789", state).withCallsPerSecond(rate);
            try (Worker worker = Worker.start(config);
                 OutputCollector out = new OutputCollector(kafka.bootstrapServers(), names.outputs())) {
                Properties p = new Properties();
                p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
                try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                    for (int i = 0; i < requests; i++) {
                        SimulatedIdentity person = people.get(i % people.size());
                        String json = Json.MAPPER.createObjectNode().put("requestId", "rate-" + i)
                                .put("name", person.name()).put("idNumber", person.idNumber()).put("image", image).toString();
                        // Spread evenly, so that what is measured is the limiter, not a skew in the input.
                        producer.send(new ProducerRecord<>(names.requests(), i % partitions, null,
                                json.getBytes(StandardCharsets.UTF_8)));
                    }
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(seconds * 3L + 30).toNanos();
                while (out.count(r -> names.results().containsValue(r.topic())) < requests && System.nanoTime() < deadline) {
                    out.poll(Duration.ofMillis(500));
                }
                long results = out.count(r -> names.results().containsValue(r.topic()));
                int max = simulator.maxCallsInAnySecond();
                double achieved = simulator.averageCallRate();
                System.out.printf(Locale.ROOT, "%nrate limit %.0f calls/s over %d partitions; %d requests, %d results%n",
                        rate, partitions, requests, results);
                System.out.printf(Locale.ROOT, "most calls the simulator saw in any one-second window: %d (limit %.0f) -> %s%n",
                        max, rate, max <= rate ? "held" : "EXCEEDED");
                System.out.printf(Locale.ROOT, "achieved rate: %.1f calls/s = %.3f of the limit (target >= 0.95)%n",
                        achieved, achieved / rate);
            }
        } finally {
            vertx.close();
        }
    }
}
