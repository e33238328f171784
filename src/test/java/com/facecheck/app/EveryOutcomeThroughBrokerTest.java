package com.facecheck.app;

import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.AuditRecord;
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
import java.util.ArrayList;
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
 * each request must land exactly once, on the topic of its code, with exactly one audit record that agrees with its
 * result and holds none of the person's data, all read with read_committed.
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
            add(requests, expected, "to-" + outcome.outcomeName(), person.name(), person.idNumber(), outcome, true);
        }
        SimulatedIdentity known = SamplePeople.answering(Outcome.VERIFIED);
        add(requests, expected, "unknown-id", known.name(), "350203199001019995", Outcome.ID_NOT_FOUND, true);
        add(requests, expected, "wrong-name", "王五", known.idNumber(), Outcome.NAME_MISMATCH, true);
        add(requests, expected, "local-missing-name", null, known.idNumber(), Outcome.INVALID_REQUEST, true);
        add(requests, expected, "provider-test-data", "测试*", known.idNumber(), Outcome.INVALID_REQUEST, true);
        add(requests, expected, "no-consent", known.name(), known.idNumber(), Outcome.INVALID_REQUEST, false);
        List<String> personalData = new ArrayList<>(List.of(IMAGE.substring(0, 40), IMAGE.substring(2000, 2040)));
        for (String request : requests.values()) {
            var fields = Json.MAPPER.readTree(request);
            personalData.add(fields.path("idNumber").asText());
            if (fields.has("name")) {
                personalData.add(fields.path("name").asText());
            }
        }
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
            List<String> written = new ArrayList<>(names.outputs());
            written.add(names.audit());
            try (Worker worker = Worker.start(config);
                 OutputCollector out = new OutputCollector(bootstrap, written)) {
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
                List<ConsumerRecord<String, byte[]>> records = out.catchUp(Duration.ofSeconds(10));

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

                Map<String, VerificationResult> resultOf = Traffic.results(records, names).stream()
                        .collect(Collectors.toMap(VerificationResult::requestId, r -> r));
                var audit = records.stream().filter(r -> r.topic().equals(names.audit())).toList();
                assertThat(audit).extracting(ConsumerRecord::key).as("one audit record per result, under its key")
                        .containsExactlyInAnyOrderElementsOf(expected.keySet());
                for (ConsumerRecord<String, byte[]> r : audit) {
                    AuditRecord record = Json.MAPPER.readValue(r.value(), AuditRecord.class);
                    assertThat(record).as(r.key()).isEqualTo(AuditRecord.of(resultOf.get(r.key()),
                            BuildVersion.current(), 0));
                    assertThat(new String(r.value(), StandardCharsets.UTF_8)).as(r.key())
                            .doesNotContain(personalData.toArray(String[]::new));
                }
                assertThat(resultOf.get("no-consent")).extracting(VerificationResult::reason,
                        VerificationResult::consentId, VerificationResult::decidedBy)
                        .containsExactly("missing-consent", null, "local");
                assertThat(resultOf.get("to-verified").consentId()).isEqualTo(Traffic.consentId("to-verified"));

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
                            String idNumber, Outcome outcome, boolean withConsent) {
        ObjectNode json = Json.MAPPER.createObjectNode().put("requestId", id).put("idNumber", idNumber)
                .put("image", IMAGE).put("source", "test");
        if (name != null) {
            json.put("name", name);
        }
        if (withConsent) {
            json.put("consentId", Traffic.consentId(id));
        }
        requests.put(id, json.toString());
        expected.put(id, outcome);
    }

    private static long finalRecords(List<ConsumerRecord<String, byte[]>> records, TopicNames names) {
        return Traffic.resultRecords(records, names).size()
                + records.stream().filter(r -> r.topic().equals(names.poisonDeadLetters())).count();
    }

}
