package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.app.Worker;
import com.facecheck.app.WorkerConfig;
import com.facecheck.contract.Json;
import com.facecheck.contract.Outcome;
import com.facecheck.identity.Masking;
import com.facecheck.ops.OutputCollector;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.provider.RetryPolicy;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatedIdentity;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.testing.CliProcess;
import com.facecheck.testing.CliRun;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.SamplePeople;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.TopicNames;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an upstream team sends with {@code send} comes back through a running worker to what a downstream team
 * reads with {@code results}: in this JVM until the end, and in a process of its own following until stopped.
 * Both commands work on the worker's own topic names, which no other test of the shared broker writes to.
 */
class SendAndResultsTest {

    private static final String APP_CODE = "local-tools-appcode-7";
    private static final TopicNames NAMES = TopicNames.defaults();

    @TempDir
    Path dir;

    @Test
    void sentRequestsComeBackAsResultsAndDeadLettersWithoutTheirPersonalData() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        assertThat(CliRun.of("topics", "create", "--bootstrap-servers", bootstrap).exitCode()).isZero();
        SimulatedIdentity known = SamplePeople.answering(Outcome.VERIFIED);
        SimulatedIdentity failing = SamplePeople.answering(Outcome.FAILED);
        String unknownName = TestIds.name(90_001);
        String unknownId = TestIds.idNumber(90_001);
        String image = TestImages.jpegBase64(320, 400);
        Path file = Files.write(dir.resolve("requests.jsonl"), List.of(
                Traffic.request("tools-known", known.name(), known.idNumber(), image),
                Traffic.request("tools-unknown", unknownName, unknownId, image),
                Traffic.request("tools-failing", failing.name(), failing.idNumber(), image),
                Traffic.request("tools-no-photo", unknownName, unknownId, null)), StandardCharsets.UTF_8);
        List<String> personalData = List.of(known.name(), known.idNumber(), failing.name(), failing.idNumber(),
                unknownName, unknownId, image.substring(0, 40));

        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities());
             CliProcess follow = CliProcess.start(dir, "follow", "results", "--follow", "--bootstrap-servers", bootstrap)) {
            simulator.behaviour(SimulatorBehaviour.wellBehaved());
            WorkerConfig config = WorkerConfig.defaults(bootstrap, ProviderUrl.of("http://127.0.0.1:" + simulator.start(0)),
                            new Credentials.AppCodeAuth(AppCode.of(APP_CODE)), "local-tools-secret-0123456789",
                            dir.resolve("state"))
                    .with("kafka.application-id", "local-tools")
                    .with("provider.retry", new RetryPolicy(2, Duration.ofMillis(100), Duration.ofMillis(200),
                            Duration.ofMinutes(1)));
            follow.await(Pattern.compile("Following \\d+ topics"), Duration.ofSeconds(60));
            try (Worker worker = Worker.start(config);
                 OutputCollector written = new OutputCollector(bootstrap, NAMES.outputs())) {
                CliRun sent = CliRun.of("send", file.toString(), "--bootstrap-servers", bootstrap);
                assertThat(sent.exitCode()).as(sent.err()).isZero();
                assertThat(sent.out().strip()).isEqualTo("Sent 4 of 4 requests to facecheck.requests.");
                // Bytes that are no request, keyed by an ID number as a producer may key its records.
                Traffic.sendBytes(bootstrap, NAMES.requests(), unknownId.getBytes(StandardCharsets.UTF_8),
                        List.of("not json".getBytes(StandardCharsets.UTF_8)));
                awaitRecords(written, 6);
            }

            CliRun results = CliRun.of("results", "--bootstrap-servers", bootstrap);

            assertThat(results.exitCode()).as(results.err()).isZero();
            assertThat(results.err().strip()).isEqualTo("6 records.");
            List<JsonNode> lines = parse(results.out());
            assertThat(lines).allSatisfy(line -> assertThat(line.path("partition").isInt()
                    && line.path("offset").isNumber()).isTrue());
            assertThat(lines).filteredOn(line -> NAMES.results().containsValue(line.path("topic").asText()))
                    .extracting(line -> line.path("key").asText())
                    .containsExactlyInAnyOrder("tools-known", "tools-unknown", "tools-failing", "tools-no-photo");
            JsonNode deadLetter = only(lines, NAMES.retryableDeadLetters());
            assertThat(deadLetter.path("key").asText()).isEqualTo("tools-failing");
            assertThat(deadLetter.path("value").path("name").asText()).isEqualTo(Masking.name(failing.name()));
            assertThat(deadLetter.path("value").path("idNumber").isNull()).isTrue();
            assertThat(deadLetter.path("value").path("imageChars").asInt()).isEqualTo(image.length());
            JsonNode poison = only(lines, NAMES.poisonDeadLetters());
            assertThat(poison.path("key").asText()).isEqualTo("sealed");
            assertThat(poison.path("value").path("sealed").asBoolean()).isTrue();
            assertThat(poison.path("value").path("bytes").asInt()).as("the record sealed whole")
                    .isGreaterThan("not json".length());
            assertThat(results.out()).doesNotContain(personalData.toArray(String[]::new));

            CliRun audit = CliRun.of("results", "--audit", "--bootstrap-servers", bootstrap);
            assertThat(audit.exitCode()).as(audit.err()).isZero();
            assertThat(audit.err().strip()).isEqualTo("4 records.");
            List<JsonNode> trail = parse(audit.out());
            assertThat(trail).allSatisfy(line -> {
                assertThat(line.path("topic").asText()).isEqualTo(NAMES.audit());
                assertThat(line.path("value").path("consentId").asText())
                        .isEqualTo(Traffic.consentId(line.path("key").asText()));
            });
            assertThat(trail).extracting(line -> line.path("key").asText() + " " + line.path("value").path("error"))
                    .containsExactlyInAnyOrder("tools-known 0", "tools-unknown 5", "tools-failing 9",
                            "tools-no-photo 7");
            assertThat(audit.out()).doesNotContain(personalData.toArray(String[]::new));

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (follow.out().lines().count() < lines.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(follow.terminate(Duration.ofSeconds(30))).as(follow.err()).isZero();
            assertThat(parse(follow.out())).as("what the follower printed as it came")
                    .containsExactlyInAnyOrderElementsOf(lines);
            assertThat(follow.out()).doesNotContain(personalData.toArray(String[]::new));
        } finally {
            vertx.close();
        }
    }

    @Test
    void aMissingFileOrAFolderIsOneLineAndExit2() {
        CliRun missing = CliRun.of("send", dir.resolve("nope.jsonl").toString(), "--bootstrap-servers", "localhost:1");
        assertThat(missing.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(missing.err().strip()).doesNotContain("\n").startsWith("facecheck send: ").contains("no such file");

        CliRun folder = CliRun.of("send", dir.toString(), "--bootstrap-servers", "localhost:1");
        assertThat(folder.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(folder.err().strip()).doesNotContain("\n").startsWith("facecheck send: ").contains("is a folder");
    }

    @Test
    void aFileWithLinesThatAreNoRequestsIsRefusedWholeNamingTheLinesButNotTheirContent() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        assertThat(CliRun.of("topics", "create", "--bootstrap-servers", bootstrap).exitCode()).isZero();
        String idNumber = TestIds.idNumber(90_002);
        Path file = Files.write(dir.resolve("mixed.jsonl"), List.of(
                Traffic.request("tools-fine", TestIds.name(90_002), idNumber, TestImages.jpegBase64(320, 400)),
                "",
                "name=" + idNumber,
                "{\"requestId\": \"tools-typed\", \"name\": 42}"), StandardCharsets.UTF_8);
        long before = endOffsets(bootstrap);

        CliRun run = CliRun.of("send", file.toString(), "--bootstrap-servers", bootstrap);

        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n")
                .startsWith("facecheck send: " + file + " line 3 is not a request: the value is not valid JSON")
                .contains("; nor is line 4. Nothing was sent").doesNotContain(idNumber).doesNotContain("name=");
        assertThat(run.out()).isEmpty();
        assertThat(endOffsets(bootstrap)).as("records on the request topic").isEqualTo(before);
    }

    private static void awaitRecords(OutputCollector collector, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (collector.records().size() < expected && System.nanoTime() < deadline) {
            collector.poll(Duration.ofMillis(200));
        }
        assertThat(collector.catchUp(Duration.ofSeconds(10))).hasSize(expected);
    }

    private static List<JsonNode> parse(String jsonLines) {
        List<JsonNode> lines = new ArrayList<>();
        jsonLines.lines().forEach(line -> {
            try {
                lines.add(Json.MAPPER.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
            }
        });
        return lines;
    }

    private static JsonNode only(List<JsonNode> lines, String topic) {
        List<JsonNode> on = lines.stream().filter(line -> line.path("topic").asText().equals(topic)).toList();
        assertThat(on).as("records on " + topic).hasSize(1);
        return on.get(0);
    }

    private static long endOffsets(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            int partitions = admin.describeTopics(List.of(NAMES.requests())).allTopicNames().get()
                    .get(NAMES.requests()).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(NAMES.requests(), p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }
}
