package com.facecheck.app;

import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Json;
import com.facecheck.contract.JsonLines;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.DeadLetters;
import com.facecheck.topology.TopicNames;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every input of the real-world bug reports (src/test/resources/cases/real-world) through the real worker, lines
 * in GBK included: the worker keeps going after each of them, every request gets the verdict expected.json gives
 * it, and every line that is not UTF-8 lands on the poison dead letters alone.
 */
class RealWorldCasesThroughWorkerTest {

    private static final String APP_CODE = "real-world-appcode-0001";
    private static final String CASES = "/cases/real-world/";

    @TempDir
    Path stateDir;

    @Test
    void theWorkerDecidesEveryCaseAsExpectedAndKeepsGoing() throws Exception {
        JsonNode expected = Json.MAPPER.readTree(RealWorldCasesThroughWorkerTest.class.getResourceAsStream(
                CASES + "expected.json"));
        List<byte[]> lines = new ArrayList<>();
        for (String file : List.of("requests.jsonl", "gbk-file.jsonl", "one-gbk-line.jsonl")) {
            try (InputStream in = RealWorldCasesThroughWorkerTest.class.getResourceAsStream(CASES + file)) {
                JsonLines.read(in).forEach(line -> lines.add(line.bytes()));
            }
        }
        long notUtf8 = lines.stream().filter(line -> JsonLines.utf8Problem(line) != null).count();
        assertThat(notUtf8).as("the GBK lines of the two GBK files").isEqualTo(3);

        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("real-world.");
        TopicSetup.createMissing(bootstrap, names, 2, (short) 1);
        AppCode appCode = AppCode.of(APP_CODE);
        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx, ProviderSimulator.Accounts.appCodeOnly(appCode),
                ProviderSimulator.defaultIdentities())) {
            ProviderUrl url = ProviderUrl.of("http://127.0.0.1:" + simulator.start(0));
            WorkerConfig config = WorkerConfig.defaults(bootstrap, url, new Credentials.AppCodeAuth(appCode),
                            "real-world-secret-0123456789", stateDir)
                    .with("kafka.application-id", "real-world-cases").with("topics", names)
                    // Most cases share one synthetic ID number: the per-ID cap is not what this test is about.
                    .with("caps.per-id", 100).with("caps.per-name", 100);
            try (Worker worker = Worker.start(config);
                 OutputCollector out = new OutputCollector(bootstrap, names.outputs())) {
                Traffic.sendBytes(bootstrap, names.requests(), null, lines);
                int requests = (int) (lines.size() - notUtf8);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (Traffic.results(out.records(), names).size() < requests && System.nanoTime() < deadline) {
                    out.poll(Duration.ofMillis(200));
                }
                out.poll(Duration.ofSeconds(1));

                Map<String, VerificationResult> results = Traffic.results(out.records(), names).stream()
                        .collect(Collectors.toMap(VerificationResult::requestId, Function.identity()));
                assertThat(results).hasSize(requests);
                expected.fieldNames().forEachRemaining(id -> {
                    VerificationResult result = results.get(id);
                    assertThat(result).as(id).isNotNull();
                    boolean ok = expected.path(id).path("ok").asBoolean();
                    assertThat(result.error() == Outcome.INVALID_REQUEST.code()).as("%s rejected: %s", id, result)
                            .isEqualTo(!ok);
                });
                List<ConsumerRecord<String, byte[]>> poison = out.records().stream()
                        .filter(r -> r.topic().equals(names.poisonDeadLetters())).toList();
                assertThat(poison).hasSize((int) notUtf8).allSatisfy(r -> assertThat(new String(
                        r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                        .contains("not UTF-8").contains("GBK"));
                assertThat(worker.count("facecheck.processing.failures")).as("records that failed in a processor")
                        .isEqualTo(notUtf8);
            }
        } finally {
            vertx.close();
        }
    }
}
