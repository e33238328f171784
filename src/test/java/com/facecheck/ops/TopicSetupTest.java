package com.facecheck.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Outcome;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.TestTopics;
import com.facecheck.topology.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicSetupTest {

    private static final TopicSetup.Plan TWO_PARTITIONS = new TopicSetup.Plan(2, Optional.of((short) 1),
            Optional.of(Duration.ofHours(12)), Optional.of(Duration.ofDays(3)));

    @Test
    void theExchangeTopicsGetAsManyPartitionsAsTheRequestTopicThatIsThereAndItsDifferenceIsReported() throws Exception {
        TopicNames names = TestTopics.prefixed("setup-existing.");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(names.requests(), 3, (short) 1))).all().get();

            TopicSetup.Report report = TopicSetup.create(admin, names, TWO_PARTITIONS);

            assertThat(report.mismatches()).containsExactly(new TopicSetup.Mismatch(names.requests(),
                    TopicSetup.Difference.PARTITIONS, 3, 2));
            assertThat(report.topics()).extracting(TopicSetup.TopicState::name).containsExactlyElementsOf(names.all());
            assertThat(report.topics()).filteredOn(t -> names.exchange().contains(t.name()))
                    .extracting(TopicSetup.TopicState::partitions).containsExactly(3, 3);
            assertThat(report.topics()).filteredOn(t -> names.outputs().contains(t.name()))
                    .allSatisfy(t -> assertThat(t.partitions()).isEqualTo(2))
                    .allSatisfy(t -> assertThat(t.created()).isTrue());
            assertThat(report.topics().get(0).created()).isFalse();

            assertThat(retention(admin, names.retryableDeadLetters()).value()).isEqualTo("259200000");
            assertThat(retention(admin, names.resultTopic(Outcome.VERIFIED)).value())
                    .isEqualTo("43200000");
            assertThat(retention(admin, names.nameClaims()).source()).as("the cluster's: reservations outlive outages")
                    .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);

            TopicSetup.Report again = TopicSetup.create(admin, names, TWO_PARTITIONS);
            assertThat(again.topics()).noneMatch(TopicSetup.TopicState::created);
            assertThat(again.mismatches()).isEqualTo(report.mismatches());
        }
    }

    @Test
    void anExchangeTopicWithOtherPartitionsThanTheRequestTopicIsReported() throws Exception {
        TopicNames names = TestTopics.prefixed("setup-exchange.");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(names.nameClaims(), 5, (short) 1))).all().get();

            TopicSetup.Report report = TopicSetup.create(admin, names, TWO_PARTITIONS);

            assertThat(report.mismatches()).containsExactly(new TopicSetup.Mismatch(names.nameClaims(),
                    TopicSetup.Difference.EXCHANGE_PARTITIONS, 5, 2));
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()));
    }

    private static ConfigEntry retention(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(TopicConfig.RETENTION_MS_CONFIG);
    }
}
