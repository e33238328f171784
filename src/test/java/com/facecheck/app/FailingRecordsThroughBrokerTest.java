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
import com.facecheck.testing.CapturedLogs;
import com.facecheck.testing.ContractSchemas;
import com.facecheck.testing.FailingProcessors;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.testing.Unsealed;
import com.facecheck.topology.CheckedRequest;
import com.facecheck.topology.DeadLetters;
import com.facecheck.topology.FacecheckTopology;
import com.facecheck.topology.FailedRecords;
import com.facecheck.topology.NameAnswer;
import com.facecheck.topology.NameClaim;
import com.facecheck.topology.PersonOutput;
import com.facecheck.topology.TopicNames;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One failing record costs that record, never the worker: every processor is made to throw on one chosen request
 * (through Kafka Streams' processor wrapper, a test-only hook), the worker's own topics get records that are not
 * theirs, and every other request still gets its one result, while each chosen one lands where docs/contracts.md
 * says: poison before the person's partition, result 9 plus the retryable dead letters after it, its result or its
 * audit record written as it was on the way out; and every result has exactly one audit record whichever path
 * wrote it.
 */
class FailingRecordsThroughBrokerTest {

    private static final String APP_CODE = "failing-records-appcode-01";
    private static final String IMAGE = TestImages.jpegBase64(320, 400);
    private static final int ORDINARY = 12;
    private static final String AT_CHECK = "bad-at-check";
    private static final String AT_DEDUP = "bad-at-dedup";
    private static final String AT_SERVE = "bad-at-serve";
    private static final String AT_ANSWER = "bad-at-answer";
    private static final String AT_CLAIM = "bad-at-claim";
    private static final String AT_RESULT = "bad-at-result";
    private static final String AT_AUDIT = "bad-at-audit";

    @TempDir
    Path stateDir;

    @Test
    void everyOtherRequestGetsItsResultAndEachFailedOneLandsWhereDocumented() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("failing.");
        TopicSetup.createMissing(bootstrap, names, 4, (short) 1);
        String failOn = String.join(",",
                FailingProcessors.target(FacecheckTopology.CHECK, AT_CHECK, VerificationRequest.class),
                FailingProcessors.target(FacecheckTopology.DEDUP, AT_DEDUP, CheckedRequest.class),
                FailingProcessors.target(FacecheckTopology.SERVE, AT_SERVE, CheckedRequest.class),
                FailingProcessors.target(FacecheckTopology.SERVE, AT_ANSWER, NameAnswer.class),
                FailingProcessors.target(FacecheckTopology.CLAIM_NAME, AT_CLAIM, NameClaim.class),
                FailingProcessors.target("as-result", AT_RESULT, PersonOutput.Result.class),
                FailingProcessors.target("as-audit", AT_AUDIT, PersonOutput.Audit.class));

        List<String> requests = new ArrayList<>();
        List<String> all = List.of(AT_CHECK, AT_DEDUP, AT_SERVE, AT_ANSWER, AT_CLAIM, AT_RESULT, AT_AUDIT);
        for (int i = 0; i < ORDINARY + all.size(); i++) {
            String id = i < ORDINARY ? "ok-" + i : all.get(i - ORDINARY);
            requests.add(Traffic.request(id, TestIds.name(9_000 + i), TestIds.idNumber(9_000 + i), IMAGE));
        }

        AppCode appCode = AppCode.of(APP_CODE);
        Vertx vertx = Vertx.vertx();
        try (CapturedLogs logs = new CapturedLogs();
             ProviderSimulator simulator = new ProviderSimulator(vertx, ProviderSimulator.Accounts.appCodeOnly(appCode),
                     ProviderSimulator.defaultIdentities())) {
            ProviderUrl url = ProviderUrl.of("http://127.0.0.1:" + simulator.start(0));
            WorkerConfig config = WorkerConfig.defaults(bootstrap, url, new Credentials.AppCodeAuth(appCode),
                            "failing-records-secret-0123456789", stateDir)
                    .with("kafka.application-id", "failing-records").with("topics", names)
                    .with("caps.claim-timeout", Duration.ofSeconds(3))
                    .with("kafka.properties", Map.of(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, FailingProcessors.class.getName(),
                            FailingProcessors.FAIL_ON, failOn));
            List<String> written = new ArrayList<>(names.outputs());
            written.add(names.audit());
            try (Worker worker = Worker.start(config);
                 OutputCollector out = new OutputCollector(bootstrap, written)) {
                Traffic.send(bootstrap, names.requests(), requests);
                // Records on the worker's own topics that are not its own: tombstones and bytes that are not JSON.
                sendRaw(bootstrap, names.nameClaims(), null);
                sendRaw(bootstrap, names.nameAnswers(), null);
                sendRaw(bootstrap, names.nameClaims(), "{\"kind\":\"RESERVE\"}".getBytes(StandardCharsets.UTF_8));
                // Not a request, and so large that its poison copy (the record plus Kafka's error headers) is over
                // the producer's max.request.size: a marker must take its place.
                byte[] huge = new byte[1_048_300];
                Arrays.fill(huge, (byte) 'x');
                sendRaw(bootstrap, names.requests(), huge);

                int expectedResults = ORDINARY + all.size() - 1; // all but the one that failed its check
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (Traffic.results(out.records(), names).size() < expectedResults && System.nanoTime() < deadline) {
                    out.poll(Duration.ofMillis(200));
                }
                out.poll(Duration.ofSeconds(2)); // anything written twice would come now
                List<ConsumerRecord<String, byte[]>> records = out.catchUp(Duration.ofSeconds(10));
                List<VerificationResult> results = Traffic.results(records, names);
                // Internal errors and poison records too, with their processor and exception headers (docs/schemas).
                assertThat(ContractSchemas.problems(records, names)).isEmpty();

                // Whichever wrote the result (serving the person, the failure handler, the claim timeout) and
                // whichever of the two failed on its way out, each result has its one audit record.
                List<ConsumerRecord<String, byte[]>> audit = on(records, names.audit());
                assertThat(audit).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(
                        results.stream().map(VerificationResult::requestId).toList());
                for (ConsumerRecord<String, byte[]> r : audit) {
                    VerificationResult result = results.stream().filter(v -> v.requestId().equals(r.key())).findFirst()
                            .orElseThrow();
                    assertThat(Json.MAPPER.readValue(r.value(), AuditRecord.class)).as(r.key())
                            .isEqualTo(AuditRecord.of(result, BuildVersion.current(), 0));
                }

                assertThat(results).extracting(VerificationResult::requestId).doesNotHaveDuplicates()
                        .hasSize(expectedResults).doesNotContain(AT_CHECK);
                for (VerificationResult result : results) {
                    boolean internal = List.of(AT_DEDUP, AT_SERVE, AT_ANSWER, AT_CLAIM).contains(result.requestId());
                    assertThat(result.outcomeEnum()).as(result.requestId())
                            .isEqualTo(internal ? Outcome.FAILED : Outcome.ID_NOT_FOUND);
                    assertThat(result.reason()).as(result.requestId()).isEqualTo(internal ? "internal-error" : null);
                }

                List<ConsumerRecord<String, byte[]>> retryable = on(records, names.retryableDeadLetters());
                assertThat(retryable).extracting(ConsumerRecord::key)
                        .containsExactlyInAnyOrder(AT_DEDUP, AT_SERVE, AT_ANSWER, AT_CLAIM);
                assertThat(retryable).allSatisfy(r -> {
                    assertThat(Unsealed.request(r).image())
                            .as("kept whole for a replay").isEqualTo(IMAGE);
                    assertThat(header(r, DeadLetters.REASON_CODE)).isEqualTo("internal-error");
                    assertThat(header(r, DeadLetters.REASON)).doesNotContain("11010519491231002X");
                });
                assertThat(retryable).filteredOn(r -> List.of(AT_DEDUP, AT_SERVE).contains(r.key()))
                        .allSatisfy(r -> assertThat(header(r, DeadLetters.EXCEPTION))
                                .isEqualTo(FailingProcessors.InjectedFailure.class.getName()));
                assertThat(header(only(retryable, r -> r.key().equals(AT_DEDUP)), DeadLetters.PROCESSOR))
                        .isEqualTo(FacecheckTopology.DEDUP);

                List<ConsumerRecord<String, byte[]>> poison = on(records, names.poisonDeadLetters());
                ConsumerRecord<String, byte[]> atCheck = only(poison, r -> FacecheckTopology.CHECK.equals(
                        header(r, DeadLetters.PROCESSOR)));
                assertThat(new String(Unsealed.poisonValue(atCheck), StandardCharsets.UTF_8)).as("the request as it came")
                        .isEqualTo(requests.get(ORDINARY));
                assertThat(header(atCheck, DeadLetters.REASON))
                        .startsWith("InjectedFailure in check-request").doesNotContain("11010519491231002X");
                assertThat(header(atCheck, DeadLetters.SOURCE_TOPIC)).isEqualTo(names.requests());
                // The lost answer, and the claim both times the name stage saw it: reserved, then given back.
                assertThat(poison).filteredOn(r -> FacecheckTopology.SERVE.equals(header(r, DeadLetters.PROCESSOR))
                        && r.value() != null).hasSize(1);
                assertThat(poison).filteredOn(r -> FacecheckTopology.CLAIM_NAME.equals(header(r, DeadLetters.PROCESSOR))
                        && r.value() != null && new String(Unsealed.poisonValue(r), StandardCharsets.UTF_8).contains(AT_CLAIM))
                        .hasSize(2);
                // The records that were not the worker's: two tombstones and a claim without its fields.
                assertThat(poison).filteredOn(r -> r.value() == null && header(r, DeadLetters.REASON_CODE)
                        .equals("processing-failed")).hasSize(2);
                assertThat(poison).filteredOn(r -> r.value() != null
                        && new String(Unsealed.poisonValue(r), StandardCharsets.UTF_8).equals("{\"kind\":\"RESERVE\"}")).hasSize(1);

                ConsumerRecord<String, byte[]> marker = only(poison, r -> r.headers()
                        .lastHeader(DeadLetters.VALUE_LEFT_OUT) != null);
                assertThat(marker.value()).isNull();
                assertThat(header(marker, DeadLetters.REASON_CODE)).isEqualTo("not-a-request");
                assertThat(header(marker, DeadLetters.SOURCE_TOPIC)).isEqualTo(names.requests());
                assertThat(header(marker, DeadLetters.VALUE_LEFT_OUT)).startsWith(huge.length + 7 + " bytes");

                // Calls: one per request that reached the provider; none for those that failed before the call.
                assertThat(simulator.calls()).isEqualTo(ORDINARY + 2);
                // Each failure counted once: the poison records, two requests ended at their person's partition, one
                // result and one audit record on their way out.
                assertThat(worker.count(FailedRecords.METER)).isEqualTo(poison.size() + 2 + 2);
            }
            assertThat(logs.text()).contains("InjectedFailure").doesNotContain("11010519491231002X")
                    .doesNotContain(APP_CODE);
        } finally {
            vertx.close();
        }
    }

    private static void sendRaw(String bootstrap, String topic, byte[] value) {
        List<byte[]> one = new ArrayList<>();
        one.add(value);
        Traffic.sendBytes(bootstrap, topic, "someone".getBytes(StandardCharsets.UTF_8), one);
    }

    private static List<ConsumerRecord<String, byte[]>> on(List<ConsumerRecord<String, byte[]>> records, String topic) {
        return records.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    private static ConsumerRecord<String, byte[]> only(List<ConsumerRecord<String, byte[]>> records,
                                                       Predicate<ConsumerRecord<String, byte[]>> filter) {
        List<ConsumerRecord<String, byte[]>> found = records.stream().filter(filter).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
