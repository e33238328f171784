package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.testing.CliRun;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.topology.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * The command works on the worker's own topic names, which no other test of the shared broker uses. Every test
 * here creates them with the default partitions, so that the tests agree whichever runs first.
 */
class TopicsCreateCommandTest {

    private static final TopicNames NAMES = TopicNames.defaults();

    @Test
    void createsEveryTopicOnceAndRunningAgainChangesNothing() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        CliRun first = CliRun.of("topics", "create", "--bootstrap-servers", bootstrap);
        assertThat(first.exitCode()).as(first.err()).isZero();

        CliRun again = CliRun.of("topics", "create", "--bootstrap-servers", bootstrap);

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).isEmpty();
        List<String> lines = again.out().lines().toList();
        assertThat(lines).hasSize(NAMES.all().size() + 1);
        for (int i = 0; i < NAMES.all().size(); i++) {
            assertThat(lines.get(i)).matches("exists +" + NAMES.all().get(i).replace(".", "\\.")
                    + " +4 partitions, replication factor 1");
        }
        assertThat(lines.get(lines.size() - 1)).isEqualTo("0 topics created, " + NAMES.all().size() + " there already.");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<String, TopicDescription> topics = admin.describeTopics(NAMES.all()).allTopicNames().get();
            assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(4));
            assertThat(retentionMillis(admin, NAMES.retryableDeadLetters())).isEqualTo(Duration.ofDays(3).toMillis());
            assertThat(retentionMillis(admin, NAMES.poisonDeadLetters())).isEqualTo(Duration.ofDays(3).toMillis());
            assertThat(retentionMillis(admin, NAMES.requests())).as("the cluster's default")
                    .isEqualTo(Duration.ofDays(7).toMillis());
        }
    }

    @Test
    void reportsEveryTopicWhosePartitionsOrReplicationDifferOneLineEachAndExits2() {
        String bootstrap = KafkaBroker.bootstrapServers();
        assertThat(CliRun.of("topics", "create", "--bootstrap-servers", bootstrap).exitCode()).isZero();

        CliRun partitions = CliRun.of("topics", "create", "--bootstrap-servers", bootstrap, "--partitions", "6");

        assertThat(partitions.exitCode()).isEqualTo(FacecheckCli.USAGE);
        // The exchange topics are held to the request topic's 4, which they have: only the others differ.
        List<String> expected = NAMES.all().stream().filter(t -> !NAMES.exchange().contains(t))
                .map(t -> "facecheck topics create: topic " + t + " has 4 partitions, not the 6 asked: give"
                        + " --partitions 4, or change the topic yourself (topics create never changes an existing topic)")
                .toList();
        assertThat(partitions.err().lines()).containsExactlyElementsOf(expected);
        assertThat(partitions.out()).contains("0 topics created");

        CliRun replication = CliRun.of("topics", "create", "--bootstrap-servers", bootstrap, "--replication-factor", "3");

        assertThat(replication.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(replication.err().lines()).hasSize(NAMES.all().size())
                .allSatisfy(line -> assertThat(line).contains(" has replication factor 1, not the 3 asked"));
    }

    @Test
    void aDurationThatIsNoneIsOneLineBeforeAnythingIsCreated() {
        CliRun run = CliRun.of("topics", "create", "--bootstrap-servers", "localhost:1",
                "--dead-letter-retention", "3 days");

        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n").startsWith("facecheck topics create: Invalid value for option"
                + " '--dead-letter-retention': '3 days' is no duration: give one like 3d, 12h, 30m or 90s");
    }

    private static long retentionMillis(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return Long.parseLong(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get(TopicConfig.RETENTION_MS_CONFIG).value());
    }
}
