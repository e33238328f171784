package com.facecheck.ops;

import com.facecheck.app.OperationsConfig;
import com.facecheck.topology.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Resets the worker's application as Kafka's streams reset tool does, so that the next run reads the request topic
 * from its start as if for the first time: the consumer group's offsets, the topics Kafka Streams created for it and
 * this machine's state folder. The result and dead-letter topics are outputs and are left alone.
 *
 * <p>The name-exchange topics are read by the worker, but written by it too: their records belong to the run being
 * forgotten. They are skipped to their ends rather than read again, which would count the old run's name claims a
 * second time beside the new run's.
 *
 * <p>Kafka's own tool (kafka-streams-application-reset) is not used: it is not in the worker's dependencies, it is a
 * command line of its own rather than a library, it leaves the state folder to the application, and it cannot tell
 * the exchange topics from the request topic.
 */
public final class ApplicationReset {

    private static final long TIMEOUT_SECONDS = 30;
    /** Partitions in the order a person reads them: by topic, then by number. */
    private static final Comparator<TopicPartition> IN_ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    /** The application cannot be reset now: its instances run, or its group is of a kind this reset does not know. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * What a reset changes.
     *
     * @param toEarliest     the request topic's partitions, each with the offset of its first record still kept
     * @param toEnd          the name-exchange topics' partitions, each with its end offset
     * @param offsetsRemoved partitions of other topics with committed offsets (the repartition topic's, topics the
     *                       worker no longer reads): their offsets are removed
     * @param internalTopics the topics Kafka Streams created for the application that exist: deleted
     * @param stateDir       this machine's state folder of the application, when there is one: deleted
     */
    public record Plan(String applicationId, Map<TopicPartition, Long> toEarliest, Map<TopicPartition, Long> toEnd,
                       Set<TopicPartition> offsetsRemoved, List<String> internalTopics, Optional<Path> stateDir) {

        public Plan {
            // Unmodifiable views rather than copies: the order is what the reset prints.
            toEarliest = Collections.unmodifiableMap(toEarliest);
            toEnd = Collections.unmodifiableMap(toEnd);
            offsetsRemoved = Collections.unmodifiableSet(offsetsRemoved);
            internalTopics = List.copyOf(internalTopics);
        }
    }

    private ApplicationReset() {
    }

    /**
     * What a reset of {@code config}'s application would change, read from the cluster and the state folder; nothing
     * is changed.
     *
     * @throws Refused while instances of the application are members of its consumer group
     */
    public static Plan plan(Admin admin, OperationsConfig config)
            throws InterruptedException, ExecutionException, TimeoutException {
        String applicationId = config.kafka().applicationId();
        requireStopped(admin, applicationId);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, Long> toEarliest = offsets(admin, List.of(config.topics().requests()), OffsetSpec.earliest());
        Map<TopicPartition, Long> toEnd = offsets(admin, config.topics().exchange(), OffsetSpec.latest());
        Set<TopicPartition> removed = new TreeSet<>(IN_ORDER);
        committed.keySet().stream().filter(p -> !toEarliest.containsKey(p) && !toEnd.containsKey(p))
                .forEach(removed::add);
        List<String> internal = Topics.internalTopics(applicationId).stream().map(Topics.InternalTopic::name)
                .filter(existing::contains).toList();
        Path stateDir = config.applicationStateDir();
        return new Plan(applicationId, toEarliest, toEnd, removed, internal,
                Files.isDirectory(stateDir) ? Optional.of(stateDir) : Optional.empty());
    }

    /**
     * Carries out {@code plan}: offsets first, so that a reset cut short never leaves a group that would read the old
     * run's claims again; then the internal topics, which Kafka Streams creates anew when the worker starts; then the
     * state folder.
     */
    public static void execute(Admin admin, Plan plan) throws InterruptedException, ExecutionException, TimeoutException {
        requireStopped(admin, plan.applicationId());
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        plan.toEarliest().forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        plan.toEnd().forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        if (!offsets.isEmpty()) {
            admin.alterConsumerGroupOffsets(plan.applicationId(), offsets).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        if (!plan.offsetsRemoved().isEmpty()) {
            admin.deleteConsumerGroupOffsets(plan.applicationId(), plan.offsetsRemoved()).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        if (!plan.internalTopics().isEmpty()) {
            deleteTopics(admin, plan.internalTopics());
        }
        plan.stateDir().ifPresent(ApplicationReset::deleteFolder);
    }

    /**
     * Refuses while the group has members. A member that stopped without leaving (Kafka Streams does not leave the
     * group on close, so that a restart moves no task) stays until its session times out.
     */
    private static void requireStopped(Admin admin, String applicationId)
            throws InterruptedException, ExecutionException, TimeoutException {
        Optional<GroupType> type = admin.listGroups().all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                .filter(g -> g.groupId().equals(applicationId)).findFirst().flatMap(GroupListing::type);
        if (type.isPresent() && type.get() == GroupType.STREAMS) {
            throw new Refused("the group " + applicationId + " is a streams group (the worker runs with"
                    + " group.protocol=streams): reset it with Kafka's kafka-streams-application-reset instead");
        }
        if (type.isPresent() && type.get() != GroupType.CLASSIC && type.get() != GroupType.CONSUMER) {
            throw new Refused("the group " + applicationId + " is a " + type.get() + " group, not the worker's"
                    + " consumer group: check the application id");
        }
        ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return;
            }
            throw e;
        }
        if (!group.members().isEmpty()) {
            List<String> members = group.members().stream().map(ApplicationReset::describe).sorted().toList();
            throw new Refused("instances of " + applicationId + " are running: " + members.size() + " member"
                    + (members.size() == 1 ? "" : "s") + " in its consumer group (" + String.join("; ", members)
                    + "). Stop every instance first. One that stopped a moment ago stays a member until its session"
                    + " times out (session.timeout.ms, 45 s by default): try again then");
        }
    }

    private static String describe(MemberDescription member) {
        return member.clientId() + " on " + member.host()
                + member.groupInstanceId().map(id -> ", group.instance.id " + id).orElse("");
    }

    /**
     * Each partition of {@code topics}, in their order, with its offset of {@code spec}; a topic that does not exist
     * has none.
     */
    private static Map<TopicPartition, Long> offsets(Admin admin, List<String> topics, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> asked = new LinkedHashMap<>();
        for (String topic : topics) {
            try {
                admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic)
                        .partitions().forEach(p -> asked.put(new TopicPartition(topic, p.partition()), spec));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = admin.listOffsets(asked).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        asked.keySet().forEach(partition -> offsets.put(partition, found.get(partition).offset()));
        return offsets;
    }

    /** Deletion is asynchronous on the brokers: a worker started right after must not meet a topic being deleted. */
    private static void deleteTopics(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            admin.deleteTopics(topics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream().anyMatch(topics::contains)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the topics " + topics + " were deleted but are still listed after "
                        + TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(100);
        }
    }

    private static void deleteFolder(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the offsets are reset and the topics deleted, but the state folder " + folder
                    + " cannot be deleted (" + e.getMessage() + "): delete it by hand before the worker starts here"
                    + " again", e);
        }
    }
}
