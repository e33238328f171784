package com.facecheck.app;

import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatedIdentity;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.Admission;
import com.facecheck.topology.TopicNames;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog of 30 requests for one ID number, produced with timestamps spread over five days, is served within
 * seconds. The provider counts calls in wall-clock time, so exactly its daily cap may reach it: the worker's cap
 * counts when it calls, not when the producer says the request was made.
 */
class BacklogKeepsTheProvidersCapTest {

    private static final String APP_CODE = "backlog-test-appcode-9";
    private static final int BACKLOG = 30;

    @TempDir
    Path stateDir;

    @Test
    void exactlyTheCapReachesTheProviderAndItNeverAnswersEightForAnAdmittedRequest() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("backlog.");
        TopicSetup.createMissing(bootstrap, names, 2, (short) 1);
        SimulatedIdentity person = ProviderSimulator.defaultIdentities().get(0);
        String image = TestImages.jpegBase64(320, 400);
        Instant fiveDaysAgo = Instant.now().minus(Duration.ofDays(5));

        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities())) {
            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLimits(0, 0, Admission.DEFAULT_PER_ID, 0));
            ProviderUrl url = ProviderUrl.of("http://127.0.0.1:" + simulator.start(0));
            WorkerConfig config = WorkerConfig.defaults(bootstrap, url, new Credentials.AppCodeAuth(AppCode.of(APP_CODE)),
                    "backlog-test-secret-0123456789", stateDir).with("kafka.application-id", "backlog").with("topics", names);
            try (Worker worker = Worker.start(config);
                 OutputCollector out = new OutputCollector(bootstrap, names.outputs());
                 var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                         bootstrap), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < BACKLOG; i++) {
                    long createdAt = fiveDaysAgo.plus(Duration.ofHours(4).multipliedBy(i)).toEpochMilli();
                    byte[] request = Traffic.request("backlog-" + i, person.name(), person.idNumber(), image)
                            .getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(names.requests(), i % 2, createdAt, null, request));
                }
                producer.flush();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (Traffic.results(out.records(), names).size() < BACKLOG && System.nanoTime() < deadline) {
                    out.poll(Duration.ofMillis(200));
                }

                List<VerificationResult> results = Traffic.results(out.records(), names);
                assertThat(results).hasSize(BACKLOG);
                assertThat(simulator.callsForIdNumber(person.idNumber())).isEqualTo(Admission.DEFAULT_PER_ID);
                assertThat(results).filteredOn(r -> r.decidedBy().equals(VerificationResult.DECIDED_BY_PROVIDER))
                        .hasSize(Admission.DEFAULT_PER_ID)
                        .allSatisfy(r -> assertThat(r.outcomeEnum().isVerdict()).as(r.requestId()).isTrue());
                assertThat(results).filteredOn(r -> r.error() == Outcome.THROTTLED.code())
                        .hasSize(BACKLOG - Admission.DEFAULT_PER_ID)
                        .allSatisfy(r -> assertThat(r.reason()).isEqualTo("cap-per-id"));
                assertThat(worker.count("facecheck.caps.refused")).isEqualTo(BACKLOG - Admission.DEFAULT_PER_ID);
            }
        } finally {
            vertx.close();
        }
    }
}
