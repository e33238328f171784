package com.facecheck.ops;

import com.facecheck.app.OperationsConfig;
import com.facecheck.topology.TopicNames;
import com.facecheck.topology.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic a worker uses, as the cluster has it: its size, how long it keeps records, how far behind the
 * application reads it, what it holds of a person, and what is wrong with it.
 */
public final class TopicInventory {

    private static final long TIMEOUT_SECONDS = 30;
    /** Kafka's value of retention.ms for "never deleted". */
    private static final long UNLIMITED = -1;

    /** What a topic is to the worker, and so what it holds of a person (docs/operations.md says whom to let read it). */
    public enum Role {
        REQUESTS("clear: name, ID number, photo", true),
        RESULTS("masked name, keyed-hash personId", false),
        RETRYABLE_DEAD_LETTERS("sealed request, masked view", false),
        POISON_DEAD_LETTERS("sealed whole: key and value", false),
        PARKED_DEAD_LETTERS("sealed request, masked view", false),
        AUDIT("keyed-hash personId, no raw data", false),
        NAME_EXCHANGE("keyed hashes and request ids", true),
        REPARTITION("sealed requests", true),
        SEALED_CHANGELOG("sealed requests", false),
        CHANGELOG("keyed hashes and request ids", false);

        private final String personalData;
        private final boolean readByWorker;

        Role(String personalData, boolean readByWorker) {
            this.personalData = personalData;
            this.readByWorker = readByWorker;
        }

        public String personalData() {
            return personalData;
        }

        /** Whether the worker consumes it while it runs, so that it has a lag. */
        public boolean readByWorker() {
            return readByWorker;
        }

        /** Whether it holds personal data that only a retention short enough deletes. */
        boolean keepsSealedPersonalData() {
            return this == RETRYABLE_DEAD_LETTERS || this == POISON_DEAD_LETTERS || this == PARKED_DEAD_LETTERS;
        }

        public boolean internal() {
            return this == REPARTITION || this == SEALED_CHANGELOG || this == CHANGELOG;
        }
    }

    /**
     * One topic as the cluster has it.
     *
     * @param exists            false for a topic not created yet (then the sizes are 0 and the settings null)
     * @param retentionMs       retention.ms, -1 for unlimited
     * @param lag               records the application has not read yet, over the partitions it has committed offsets
     *                          for; null when it does not read the topic or has committed no offset on it
     * @param problems          what is wrong, each saying what to do
     */
    public record TopicState(String name, Role role, boolean exists, int partitions, int replicationFactor,
                             Long retentionMs, String cleanupPolicy, Long lag, String personalData,
                             List<String> problems) {
    }

    /** The topics of one application, configured ones first, then those Kafka Streams creates for it. */
    public record Inventory(String applicationId, List<TopicState> topics) {

        public List<String> problems() {
            return topics.stream().flatMap(t -> t.problems().stream()).toList();
        }
    }

    private TopicInventory() {
    }

    /**
     * Reads every topic of {@code config}'s worker from the cluster.
     *
     * @param deadLetterRetention the longest retention a topic holding dead letters may have
     */
    public static Inventory read(Admin admin, OperationsConfig config, Duration deadLetterRetention)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Role> roles = roles(config);
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<String> present = roles.keySet().stream().filter(existing::contains).toList();
        Map<String, TopicDescription> described = admin.describeTopics(present).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<String, Config> configs = configs(admin, present);
        Map<String, Long> lags = lags(admin, config.kafka().applicationId(), roles.entrySet().stream()
                .filter(e -> e.getValue().readByWorker() && described.containsKey(e.getKey()))
                .map(e -> described.get(e.getKey())).toList());

        TopicNames names = config.topics();
        TopicDescription requests = described.get(names.requests());
        List<TopicState> topics = new ArrayList<>();
        roles.forEach((topic, role) -> {
            TopicDescription description = described.get(topic);
            if (description == null) {
                topics.add(new TopicState(topic, role, false, 0, 0, null, null, null, role.personalData(),
                        role.internal() ? List.of() : List.of("topic " + topic + " does not exist: create the"
                                + " worker's topics (./facecheck topics create)")));
                return;
            }
            Config settings = configs.get(topic);
            long retention = Long.parseLong(settings.get(TopicConfig.RETENTION_MS_CONFIG).value());
            String cleanup = settings.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            int partitions = description.partitions().size();
            List<String> problems = new ArrayList<>();
            if (role == Role.NAME_EXCHANGE && requests != null && partitions != requests.partitions().size()) {
                problems.add(TopicSetup.explain(new TopicSetup.Mismatch(topic,
                        TopicSetup.Difference.EXCHANGE_PARTITIONS, partitions, requests.partitions().size()), names));
            }
            if (role.keepsSealedPersonalData()) {
                problems.addAll(retentionProblems(topic, retention, cleanup, deadLetterRetention,
                        "it holds dead letters with personal data, sealed"));
            }
            if (role == Role.REQUESTS) {
                problems.addAll(retentionProblems(topic, retention, cleanup, null,
                        "it holds names, ID numbers and photos in clear"));
            }
            topics.add(new TopicState(topic, role, true, partitions,
                    description.partitions().get(0).replicas().size(), retention, cleanup, lags.get(topic),
                    role.personalData(), List.copyOf(problems)));
        });
        return new Inventory(config.kafka().applicationId(), List.copyOf(topics));
    }

    /** The configured topics in the order of {@link TopicNames#all()}, then the application's internal ones. */
    private static Map<String, Role> roles(OperationsConfig config) {
        TopicNames names = config.topics();
        Map<String, Role> roles = new LinkedHashMap<>();
        for (String topic : names.all()) {
            roles.put(topic, topic.equals(names.requests()) ? Role.REQUESTS
                    : topic.equals(names.retryableDeadLetters()) ? Role.RETRYABLE_DEAD_LETTERS
                    : topic.equals(names.poisonDeadLetters()) ? Role.POISON_DEAD_LETTERS
                    : topic.equals(names.parkedDeadLetters()) ? Role.PARKED_DEAD_LETTERS
                    : topic.equals(names.audit()) ? Role.AUDIT
                    : names.exchange().contains(topic) ? Role.NAME_EXCHANGE
                    : Role.RESULTS);
        }
        for (Topics.InternalTopic topic : Topics.internalTopics(config.kafka().applicationId())) {
            roles.put(topic.name(), topic.readByWorker() ? Role.REPARTITION
                    : topic.sealedRequests() ? Role.SEALED_CHANGELOG : Role.CHANGELOG);
        }
        return roles;
    }

    /**
     * A topic with personal data must forget it: by a retention at most {@code longest} (any, when null), and not by
     * compaction alone, which keeps a record until its key is written again.
     */
    private static List<String> retentionProblems(String topic, long retentionMs, String cleanupPolicy,
                                                  Duration longest, String why) {
        List<String> problems = new ArrayList<>();
        String alter = "kafka-configs.sh --alter --entity-type topics --entity-name " + topic + " --add-config ";
        if (retentionMs == UNLIMITED) {
            problems.add("topic " + topic + " keeps its records for ever (retention.ms=-1), and " + why + ": give it a"
                    + " retention, e.g. " + alter + TopicConfig.RETENTION_MS_CONFIG + "="
                    + (longest == null ? Duration.ofDays(7) : longest).toMillis());
        } else if (longest != null && retentionMs > longest.toMillis()) {
            problems.add("topic " + topic + " keeps its records for " + duration(retentionMs) + ", longer than "
                    + duration(longest.toMillis()) + ", and " + why + ": shorten it, " + alter
                    + TopicConfig.RETENTION_MS_CONFIG + "=" + longest.toMillis());
        }
        if (!cleanupPolicy.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
            problems.add("topic " + topic + " is compacted only (cleanup.policy=" + cleanupPolicy + "), which keeps"
                    + " records until their key comes again, and " + why + ": " + alter
                    + TopicConfig.CLEANUP_POLICY_CONFIG + "=" + TopicConfig.CLEANUP_POLICY_DELETE);
        }
        return problems;
    }

    /** {@code 3d}, {@code 12h}, {@code 90m}, {@code 45s}, {@code 500ms}: as the commands take durations. */
    public static String duration(long millis) {
        if (millis == UNLIMITED) {
            return "unlimited";
        }
        Duration d = Duration.ofMillis(millis);
        return millis % Duration.ofDays(1).toMillis() == 0 ? d.toDays() + "d"
                : millis % Duration.ofHours(1).toMillis() == 0 ? d.toHours() + "h"
                : millis % Duration.ofMinutes(1).toMillis() == 0 ? d.toMinutes() + "m"
                : millis % 1000 == 0 ? d.toSeconds() + "s" : millis + "ms";
    }

    private static Map<String, Config> configs(Admin admin, Collection<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<ConfigResource, Config> found = admin.describeConfigs(topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return found.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
    }

    /** Per topic, the records after the application's committed offsets, over the partitions it committed on. */
    private static Map<String, Long> lags(Admin admin, String applicationId, List<TopicDescription> read)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (TopicDescription topic : read) {
            topic.partitions().stream().map(p -> new TopicPartition(topic.name(), p.partition()))
                    .filter(p -> committed.get(p) != null).forEach(p -> ends.put(p, OffsetSpec.latest()));
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = admin.listOffsets(ends).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<String, Long> lags = new HashMap<>();
        found.forEach((partition, end) -> lags.merge(partition.topic(),
                Math.max(0, end.offset() - committed.get(partition).offset()), Long::sum));
        return lags;
    }
}
