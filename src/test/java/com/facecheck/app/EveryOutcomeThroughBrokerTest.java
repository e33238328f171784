package com.facecheck.app;

import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Json;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.provider.RetryPolicy;
import com.facecheck.simulator.SimulatedIdentity;
import com.facecheck.testing.ContractSchemas;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.SamplePeople;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.testing.Unsealed;
import com.facecheck.topology.DeadLetters;
import com.facecheck.topology.TopicNames;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every outcome 0–9 and poison input, through a real broker, the real worker and the simulator over HTTP:
 * each request must land exactly once, on the topic of its code, read with read_committed.
 */
class EveryOutcomeThroughBrokerTest {

    private static final String IMAGE = TestImages.jpegBase64(320, 400);
    private static final String SECRET = "end-to-end-test-secret-0123456789";

    @TempDir
    Path stateDir;

    @Test
    void everyRequestLandsExactlyOnceOnTheTopicOfItsCode() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("e2e.");
        TopicSetup.createMissing(bootstrap, names, 4, (short) 1);

        Map<String, Outcome> expected = new LinkedHashMap<>();
        Map<String, String> requests = new LinkedHashMap<>();
        for (Outcome outcome : List.of(Outcome.VERIFIED, Outcome.FACE_MISMATCH, Outcome.INCONCLUSIVE,
                Outcome.NO_PHOTO_ON_FILE, Outcome.PHOTO_UNUSABLE, Outcome.THROTTLED, Outcome.FAILED)) {
            SimulatedIdentity person = SamplePeople.answering(outcome);
            add(requests, expected, "to-" + outcome.outcomeName(), person.name(), person.idNumber(), outcome);
        }
        SimulatedIdentity known = SamplePeople.answering(Outcome.VERIFIED);
        add(requests, expected, "unknown-id", known.name(), "350203199001019995", Outcome.ID_NOT_FOUND);
        add(requests, expected, "wrong-name", "王五", known.idNumber(), Outcome.NAME_MISMATCH);
        add(requests, expected, "local-missing-name", null, known.idNumber(), Outcome.INVALID_REQUEST);
        add(requests, expected, "provider-test-data", "测试*", known.idNumber(), Outcome.INVALID_REQUEST);
        List<String> poison = List.of("{not json", "[\"an\",\"array\"]");

        AppCode appCode = AppCode.of("e2e-appcode-0001");
        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx, ProviderSimulator.Accounts.appCodeOnly(appCode),
                ProviderSimulator.defaultIdentities())) {
            ProviderUrl providerUrl = ProviderUrl.of("http://127.0.0.1:" + simulator.start(0));
            WorkerConfig config = WorkerConfig.defaults(bootstrap, providerUrl, new Credentials.AppCodeAuth(appCode), SECRET, stateDir)
                    .with("kafka.application-id", "e2e-every-outcome").with("topics", names)
                    .with("provider.call-timeout", Duration.ofSeconds(5))
                    .with("provider.retry", new RetryPolicy(2, Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMinutes(1)))
                    .with("provider.probe-interval", Duration.ofSeconds(30));
            try (Worker worker = Worker.start(config);
                 OutputCollector out = new OutputCollector(bootstrap, names.outputs())) {
                Traffic.send(bootstrap, names.requests(),
                        java.util.stream.Stream.concat(requests.values().stream(), poison.stream()).toList());

                int finals = expected.size() + poison.size();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (finalRecords(out.records(), names) < finals && System.nanoTime() < deadline) {
                    out.poll(Duration.ofMillis(200));
                }
                // Anything written twice would arrive shortly after: keep reading a little longer.
                for (int i = 0; i < 10; i++) {
                    out.poll(Duration.ofMillis(200));
                }
                List<ConsumerRecord<String, byte[]>> records = out.records();

                Map<String, List<String>> topicsById = records.stream()
                        .filter(r -> names.results().containsValue(r.topic()))
                        .collect(Collectors.groupingBy(ConsumerRecord::key,
                                Collectors.mapping(ConsumerRecord::topic, Collectors.toList())));
                Map<String, List<String>> expectedTopics = new LinkedHashMap<>();
                expected.forEach((id, outcome) -> expectedTopics.put(id, List.of(names.resultTopic(outcome))));
                assertThat(topicsById).isEqualTo(expectedTopics);

                for (ConsumerRecord<String, byte[]> r : records) {
                    if (names.results().containsValue(r.topic())) {
                        String json = new String(r.value(), StandardCharsets.UTF_8);
                        VerificationResult result = Json.MAPPER.readValue(json, VerificationResult.class);
                        assertThat(result.error()).isEqualTo(expected.get(r.key()).code());
                        assertThat(json).doesNotContain(IMAGE.substring(0, 40)).doesNotContain(known.idNumber())
                                .doesNotContain("\"image\"");
                    }
                }

                var poisonRecords = records.stream().filter(r -> r.topic().equals(names.poisonDeadLetters())).toList();
                // Sealed whole: they may hold anything a producer sent; opened with the keyset, they are as sent.
                assertThat(poisonRecords).extracting(r -> new String(r.value(), StandardCharsets.ISO_8859_1))
                        .noneMatch(poison::contains);
                assertThat(poisonRecords).extracting(r -> new String(Unsealed.poisonValue(r), StandardCharsets.UTF_8))
                        .containsExactlyInAnyOrderElementsOf(poison);
                assertThat(poisonRecords).allSatisfy(r ->
                        assertThat(r.headers().lastHeader(DeadLetters.REASON_CODE).value()).asString(StandardCharsets.UTF_8)
                                .isEqualTo("not-a-request"));

                var retryable = records.stream().filter(r -> r.topic().equals(names.retryableDeadLetters())).toList();
                // Failures and throttling that outlast the retries can be fixed by a replay: both are kept whole.
                assertThat(retryable).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("to-failed", "to-throttled");
                assertThat(retryable).allSatisfy(r -> {
                    VerificationRequest whole = Unsealed.request(r);
                    assertThat(whole.image()).isEqualTo(IMAGE);
                    assertThat(new String(r.value(), StandardCharsets.UTF_8)).as("sealed")
                            .doesNotContain(IMAGE.substring(0, 40)).doesNotContain(whole.idNumber(), whole.name());
                    assertThat(new String(r.headers().lastHeader(DeadLetters.SOURCE_TOPIC).value(), StandardCharsets.UTF_8))
                            .isEqualTo(names.requests());
                    assertThat(new String(r.headers().lastHeader(DeadLetters.ATTEMPTS).value(), StandardCharsets.UTF_8))
                            .isEqualTo("2");
                });

                // Results, dead letters and their headers as the contracts' schemas describe them (docs/schemas).
                assertThat(ContractSchemas.problems(records, names)).isEmpty();

                long verdicts = expected.values().stream().filter(Outcome::isVerdict).count();
                assertThat(simulator.billedCalls()).isEqualTo(verdicts);
            }
        } finally {
            vertx.close();
        }
    }

    private static void add(Map<String, String> requests, Map<String, Outcome> expected, String id, String name,
                            String idNumber, Outcome outcome) {
        ObjectNode json = Json.MAPPER.createObjectNode().put("requestId", id).put("idNumber", idNumber)
                .put("image", IMAGE).put("source", "test");
        if (name != null) {
            json.put("name", name);
        }
        requests.put(id, json.toString());
        expected.put(id, outcome);
    }

    private static long finalRecords(List<ConsumerRecord<String, byte[]>> records, TopicNames names) {
        return Traffic.resultRecords(records, names).size()
                + records.stream().filter(r -> r.topic().equals(names.poisonDeadLetters())).count();
    }

}
