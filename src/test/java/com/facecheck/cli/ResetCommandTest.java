package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.app.Worker;
import com.facecheck.app.WorkerConfig;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationResult;
import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.testing.CliRun;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.SamplePeople;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.TopicNames;
import com.facecheck.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reset forgets a run: run, reset, run again, and every request is decided again. */
class ResetCommandTest {

    private static final String APP = "reset-command-test";
    private static final String APP_CODE = "reset-test-appcode-7e21";
    private static final String SECRET = "reset-test-hash-secret-0123456789";
    private static final int REQUESTS = 6;

    @TempDir
    Path dir;

    @Test
    void resetThenRunProcessesTheSameInputAgainFromTheStartAndResetRefusesWhileTheWorkerRuns() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("reset-command.");
        TopicSetup.createMissing(bootstrap, names, 2, (short) 1);
        Path stateDir = dir.resolve("state");
        Path configFile = Files.writeString(dir.resolve("facecheck.yaml"), TestTopics.yaml(names));
        String[] reset = {"reset", "--config", configFile.toString(), "--bootstrap-servers", bootstrap,
                "--application-id", APP, "--set", "streams.state-dir=" + stateDir};

        try (ProviderSimulator simulator = ProviderSimulator.standalone(
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)));
             OutputCollector output = new OutputCollector(bootstrap, names.outputs());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            WorkerConfig config = WorkerConfig.defaults(bootstrap,
                            ProviderUrl.of("http://127.0.0.1:" + simulator.start(0)),
                            new Credentials.AppCodeAuth(AppCode.of(APP_CODE)), SECRET, stateDir)
                    .with("kafka.application-id", APP).with("topics", names)
                    // A stopped worker stays in its group until its session ends: short, so the test need not wait.
                    .with("kafka.properties", Map.of("consumer.session.timeout.ms", "6000",
                            "consumer.heartbeat.interval.ms", "1000"));
            Traffic.send(bootstrap, names.requests(), Traffic.requests("reset-", List.of(
                    SamplePeople.answering(Outcome.VERIFIED), SamplePeople.answering(Outcome.FACE_MISMATCH),
                    SamplePeople.answering(Outcome.INCONCLUSIVE)), REQUESTS, TestImages.jpegBase64(320, 400)));

            try (Worker worker = Worker.start(config)) {
                awaitResults(output, names, REQUESTS);

                CliRun whileRunning = CliRun.withEnvironment(Map.of(), with(reset, "--yes"));

                assertThat(whileRunning.exitCode()).isEqualTo(FacecheckCli.USAGE);
                assertThat(whileRunning.err().strip()).doesNotContain("\n")
                        .startsWith("facecheck reset: instances of " + APP + " are running: 1 member in its consumer"
                                + " group (" + APP + "-")
                        .contains("Stop every instance first").endsWith("(nothing was changed)");
            }
            awaitNoMembers(admin);
            Set<String> internal = Topics.internalTopics(APP).stream().map(Topics.InternalTopic::name)
                    .collect(Collectors.toSet());
            assertThat(admin.listTopics().names().get().stream().filter(t -> t.startsWith(APP + "-")))
                    .as("every topic Kafka Streams created is one the reset knows").containsExactlyInAnyOrderElementsOf(internal);
            Path appState = stateDir.resolve(APP);
            assertThat(appState).isDirectory();
            CliRun described = CliRun.withEnvironment(Map.of(), "topics", "describe", "--config", configFile.toString(),
                    "--bootstrap-servers", bootstrap, "--application-id", APP, "--dead-letter-retention", "7d");
            assertThat(described.exitCode()).as(described.err()).isZero();
            assertThat(described.out().lines().filter(line -> line.startsWith(APP + "-")))
                    .as("every internal topic, with its size").hasSize(internal.size())
                    .noneMatch(line -> line.contains("(not yet)"));
            assertThat(described.out().lines().filter(line -> line.startsWith(names.requests() + " ")))
                    .singleElement().asString().matches(".* 2 +1 +7d +delete +0 +clear: .*");

            CliRun unconfirmed = CliRun.withEnvironment(Map.of(), reset);

            assertThat(unconfirmed.exitCode()).isEqualTo(FacecheckCli.USAGE);
            assertThat(unconfirmed.err().strip()).isEqualTo("facecheck reset: no terminal to confirm the reset on:"
                    + " give --yes to reset without asking (nothing was changed)");
            CliRun dryRun = CliRun.withEnvironment(Map.of(), with(reset, "--dry-run"));
            assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
            assertThat(dryRun.out()).contains("offsets of " + names.requests() + " back to the first record kept (2"
                            + " partitions)")
                    .contains("offsets of " + names.nameClaims() + ", " + names.nameAnswers() + " to their ends (4"
                            + " partitions)")
                    .contains("state folder deleted: " + appState).endsWith("Dry run: nothing was changed.\n");
            internal.forEach(topic -> assertThat(dryRun.out()).contains("topic deleted: " + topic));
            assertThat(admin.listTopics().names().get()).as("neither refusal nor the dry run changed anything")
                    .containsAll(internal);
            assertThat(appState).isDirectory();

            CliRun confirmed = CliRun.withEnvironment(Map.of(), with(reset, "--yes"));

            assertThat(confirmed.exitCode()).as(confirmed.err()).isZero();
            assertThat(confirmed.out()).endsWith("Reset " + APP + ": the next run starts from the first request on "
                    + names.requests() + ".\n");
            assertThat(admin.listTopics().names().get()).doesNotContainAnyElementsOf(internal);
            assertThat(appState).doesNotExist();
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(APP)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> expected = new HashMap<>();
            for (int partition = 0; partition < 2; partition++) {
                expected.put(new TopicPartition(names.requests(), partition), 0L);
                for (String exchange : names.exchange()) {
                    TopicPartition p = new TopicPartition(exchange, partition);
                    expected.put(p, admin.listOffsets(Map.of(p, OffsetSpec.latest())).partitionResult(p).get().offset());
                }
            }
            assertThat(offsets).hasSize(expected.size());
            assertThat(offsets.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())))
                    .as("requests from the start, the old run's claims and answers skipped").isEqualTo(expected);

            try (Worker again = Worker.start(config)) {
                awaitResults(output, names, 2 * REQUESTS);
                output.catchUp(Duration.ofSeconds(5));
            }
            Map<String, Long> decisions = Traffic.results(output.records(), names).stream()
                    .collect(Collectors.groupingBy(VerificationResult::requestId, Collectors.counting()));
            assertThat(decisions).hasSize(REQUESTS).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(2));
            assertThat(simulator.calls()).as("each request called for again: the dedup store was reset too")
                    .isEqualTo(2 * REQUESTS);
        }
    }

    @Test
    void onlyTheConfigurationItReadsStopsItAndAnApplicationIdThatNamesAFolderAboveIsRefused() {
        CliRun run = CliRun.withEnvironment(Map.of(), "reset", "--bootstrap-servers", "localhost:1",
                "--application-id", "..", "--set", "caps.per-id=five", "--set", "provider.call-timeout=never");

        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.err().lines()).containsExactly("facecheck reset: kafka.application-id = .. (flag"
                + " --application-id): must be 1–249 letters, digits, '.', '_' or '-', and not '.' or '..'");
    }

    private static void awaitResults(OutputCollector output, TopicNames names, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (Traffic.results(output.records(), names).size() < count && System.nanoTime() < deadline) {
            output.poll(Duration.ofMillis(200));
        }
        assertThat(Traffic.results(output.records(), names)).hasSize(count);
    }

    /** Kafka Streams does not leave its group on close: its member goes when the session times out. */
    private static void awaitNoMembers(Admin admin) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!admin.describeConsumerGroups(List.of(APP)).describedGroups().get(APP).get().members().isEmpty()) {
            assertThat(System.nanoTime()).as("the stopped worker left the group").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String[] with(String[] args, String option) {
        String[] more = Arrays.copyOf(args, args.length + 1);
        more[args.length] = option;
        return more;
    }
}
