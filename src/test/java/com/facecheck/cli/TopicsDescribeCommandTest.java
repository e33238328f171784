package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Json;
import com.facecheck.ops.TopicSetup;
import com.facecheck.testing.CliRun;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.TopicNames;
import com.facecheck.topology.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicsDescribeCommandTest {

    private static final TopicSetup.Plan AS_CREATED = new TopicSetup.Plan(2, Optional.of((short) 1), Optional.empty(),
            Optional.of(TopicSetup.DEFAULT_DEAD_LETTER_RETENTION));

    @TempDir
    Path dir;

    @Test
    void topicsAsTopicsCreateMakesThemHaveNoProblemAndEveryTopicIsShown() throws Exception {
        TopicNames names = TestTopics.prefixed("describe-ok.");
        try (Admin admin = admin()) {
            TopicSetup.create(admin, names, AS_CREATED);
        }

        CliRun run = describe(names, "describe-ok-app");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).matches("topic +partitions +replicas +retention +cleanup +lag +personal data");
        List<String> expected = new ArrayList<>(names.all());
        Topics.internalTopics("describe-ok-app").forEach(t -> expected.add(t.name()));
        assertThat(lines.subList(1, lines.size())).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(lines.get(i + 1)).startsWith(expected.get(i) + " ");
        }
        assertThat(row(lines, names.requests())).matches(".* 2 +1 +7d +delete +- +clear: name, ID number, photo");
        assertThat(row(lines, names.retryableDeadLetters())).contains(" 3d ").endsWith("sealed request, masked view");
        assertThat(row(lines, "describe-ok-app-facecheck-pending-photos-changelog"))
                .matches(".* - +- +- +\\(not yet\\) +- +sealed requests");
    }

    @Test
    void everyProblemIsOneLineOnStandardErrorAndTheExitCodeIs1() throws Exception {
        TopicNames names = TestTopics.prefixed("describe-bad.");
        String app = "describe-bad-app";
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(names.nameClaims(), 3, (short) 1))).all().get();
            TopicSetup.create(admin, names, AS_CREATED);
            admin.deleteTopics(List.of(names.audit())).all().get();
            alter(admin, names.requests(), TopicConfig.RETENTION_MS_CONFIG, "-1");
            alter(admin, names.retryableDeadLetters(), TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(Duration.ofDays(7).toMillis()));
            alter(admin, names.poisonDeadLetters(), TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            Traffic.sendTo(KafkaBroker.bootstrapServers(), names.requests(), List.of("{}", "{}", "{}"), List.of(0, 0, 0));
            admin.alterConsumerGroupOffsets(app, Map.of(new TopicPartition(names.requests(), 0),
                    new OffsetAndMetadata(1))).all().get();
            awaitGone(admin, names.audit());
        }

        CliRun run = describe(names, app);

        assertThat(run.exitCode()).isEqualTo(FacecheckCli.FAILED);
        String edit = "kafka-configs.sh --alter --entity-type topics --entity-name ";
        assertThat(run.err().lines()).containsExactly(
                "facecheck topics describe: topic " + names.requests() + " keeps its records for ever (retention.ms=-1),"
                        + " and it holds names, ID numbers and photos in clear: give it a retention, e.g. " + edit
                        + names.requests() + " --add-config retention.ms=604800000",
                "facecheck topics describe: topic " + names.retryableDeadLetters() + " keeps its records for 7d, longer"
                        + " than 3d, and it holds dead letters with personal data, sealed: shorten it, " + edit
                        + names.retryableDeadLetters() + " --add-config retention.ms=259200000",
                "facecheck topics describe: topic " + names.poisonDeadLetters() + " is compacted only"
                        + " (cleanup.policy=compact), which keeps records until their key comes again, and it holds"
                        + " dead letters with personal data, sealed: " + edit + names.poisonDeadLetters()
                        + " --add-config cleanup.policy=delete",
                "facecheck topics describe: topic " + names.audit() + " does not exist: create the worker's topics"
                        + " (./facecheck topics create)",
                "facecheck topics describe: topic " + names.nameClaims() + " has 3 partitions, the request topic "
                        + names.requests() + " 2: the worker will not start until they are equal. With no worker"
                        + " running, delete " + names.nameClaims() + " and run topics create again");
        assertThat(row(run.out().lines().toList(), names.requests())).matches(".* unlimited +delete +2 +clear: .*");
        assertThat(row(run.out().lines().toList(), names.audit())).matches(".* - +- +- +\\(missing\\) +- .*");

        CliRun json = describe(names, app, "--json");

        assertThat(json.exitCode()).isEqualTo(FacecheckCli.FAILED);
        JsonNode inventory = Json.MAPPER.readTree(json.out());
        assertThat(inventory.path("applicationId").asText()).isEqualTo(app);
        JsonNode requests = inventory.path("topics").get(0);
        assertThat(requests.path("name").asText()).isEqualTo(names.requests());
        assertThat(requests.path("role").asText()).isEqualTo("REQUESTS");
        assertThat(requests.path("lag").asLong()).as("3 records, 1 read").isEqualTo(2);
        assertThat(requests.path("retentionMs").asLong()).isEqualTo(-1);
        assertThat(requests.path("problems")).hasSize(1);
        assertThat(inventory.path("topics")).hasSize(names.all().size() + Topics.internalTopics(app).size());
    }

    private CliRun describe(TopicNames names, String applicationId, String... more) throws Exception {
        Path file = Files.writeString(dir.resolve(applicationId + ".yaml"), TestTopics.yaml(names));
        List<String> args = new ArrayList<>(List.of("topics", "describe", "--config", file.toString(),
                "--bootstrap-servers", KafkaBroker.bootstrapServers(), "--application-id", applicationId));
        args.addAll(List.of(more));
        return CliRun.withEnvironment(Map.of(), args.toArray(String[]::new));
    }

    private static String row(List<String> lines, String topic) {
        return lines.stream().filter(line -> line.startsWith(topic + " ")).findFirst().orElseThrow();
    }

    private static void alter(Admin admin, String topic, String name, String value) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Collection<AlterConfigOp> ops = List.of(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET));
        admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
    }

    private static void awaitGone(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (admin.listTopics().names().get().contains(topic)) {
            assertThat(System.nanoTime()).as(topic + " deleted").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()));
    }
}
