package com.facecheck.ops;

import com.facecheck.topology.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the worker's topics that do not exist yet, and says how existing ones differ from what was asked; it
 * never changes an existing topic.
 */
public final class TopicSetup {

    /** Dead letters hold whole requests, photos included: kept for days, not for the cluster's default week. */
    public static final Duration DEFAULT_DEAD_LETTER_RETENTION = Duration.ofDays(3);

    private static final long TIMEOUT_SECONDS = 30;
    private static final long NEW_TOPIC_SECONDS = 10;

    /**
     * What to create.
     *
     * @param partitions          of every topic; the name-exchange topics get as many as the request topic has
     * @param replicationFactor   of every topic; empty: the cluster's {@code default.replication.factor}, and the
     *                            replication of existing topics is not compared
     * @param retention           of the request and result topics; empty: the cluster's. The name-exchange topics
     *                            always keep the cluster's: a reservation must outlive any outage of the worker
     * @param deadLetterRetention of the dead-letter topics (retryable, poison, parked); empty: the cluster's
     */
    public record Plan(int partitions, Optional<Short> replicationFactor, Optional<Duration> retention,
                       Optional<Duration> deadLetterRetention) {
    }

    /** A topic of the worker as it is after the run, and whether this run created it. */
    public record TopicState(String name, boolean created, int partitions, int replicationFactor) {
    }

    /** How an existing topic differs from what was asked. */
    public enum Difference {
        /** Partitions other than the plan's. */
        PARTITIONS,
        /** A name-exchange topic whose partitions are not the request topic's: the worker will not start. */
        EXCHANGE_PARTITIONS,
        /** A replication factor other than the plan's. */
        REPLICATION
    }

    /** {@code topic} has {@code actual} where {@code expected} was asked (or, for the exchange, required). */
    public record Mismatch(String topic, Difference difference, int actual, int expected) {
    }

    /** Every topic of the worker in the order of {@link TopicNames#all()}, and each difference found. */
    public record Report(List<TopicState> topics, List<Mismatch> mismatches) {
    }

    private TopicSetup() {
    }

    /**
     * Creates every missing topic of {@code names} with {@code partitions} partitions; returns those created. Existing
     * topics are left as they are, whatever they differ in.
     */
    public static List<String> createMissing(String bootstrapServers, TopicNames names, int partitions,
                                             short replicationFactor) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Plan plan = new Plan(partitions, Optional.of(replicationFactor), Optional.empty(), Optional.empty());
            return create(admin, names, plan).topics().stream().filter(TopicState::created).map(TopicState::name)
                    .toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics at " + bootstrapServers + ": "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    /**
     * Creates the topics of {@code names} that do not exist, as {@code plan} says, and compares the existing ones
     * with it. Idempotent; a topic created meanwhile by someone else counts as existing.
     *
     * @throws ExecutionException whose cause is Kafka's reason, when a topic cannot be described or created
     */
    public static Report create(Admin admin, TopicNames names, Plan plan)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> missing = missing(admin, names);
        Set<String> created = new HashSet<>();
        // The request topic first: the exchange topics take its partition count, whoever created it and when.
        String requests = names.requests();
        if (missing.contains(requests)) {
            createEach(admin, List.of(newTopic(requests, plan.partitions(), names, plan)), created);
        }
        int requestPartitions = describe(admin, List.of(requests)).get(requests).partitions().size();
        createEach(admin, missing.stream().filter(topic -> !topic.equals(requests)).map(topic -> newTopic(topic,
                names.exchange().contains(topic) ? requestPartitions : plan.partitions(), names, plan)).toList(), created);
        awaitListed(admin, names);
        Map<String, TopicDescription> described = describe(admin, names.all());

        List<TopicState> topics = names.all().stream().map(topic -> new TopicState(topic, created.contains(topic),
                described.get(topic).partitions().size(), described.get(topic).partitions().get(0).replicas().size()))
                .toList();
        List<Mismatch> mismatches = new ArrayList<>();
        for (TopicState topic : topics) {
            if (names.exchange().contains(topic.name())) {
                if (topic.partitions() != requestPartitions) {
                    mismatches.add(new Mismatch(topic.name(), Difference.EXCHANGE_PARTITIONS, topic.partitions(),
                            requestPartitions));
                }
            } else if (topic.partitions() != plan.partitions()) {
                mismatches.add(new Mismatch(topic.name(), Difference.PARTITIONS, topic.partitions(), plan.partitions()));
            }
            plan.replicationFactor().filter(asked -> asked != topic.replicationFactor()).ifPresent(asked ->
                    mismatches.add(new Mismatch(topic.name(), Difference.REPLICATION, topic.replicationFactor(), asked)));
        }
        return new Report(topics, mismatches);
    }

    /** A difference in one line, saying what to do about it. */
    public static String explain(Mismatch m, TopicNames names) {
        return switch (m.difference()) {
            case PARTITIONS -> "topic " + m.topic() + " has " + m.actual() + " partitions, not the " + m.expected()
                    + " asked: give --partitions " + m.actual() + ", or change the topic yourself (topics create never"
                    + " changes an existing topic)";
            case EXCHANGE_PARTITIONS -> "topic " + m.topic() + " has " + m.actual() + " partitions, the request topic "
                    + names.requests() + " " + m.expected() + ": the worker will not start until they are equal. With no"
                    + " worker running, delete " + m.topic() + " and run topics create again";
            case REPLICATION -> "topic " + m.topic() + " has replication factor " + m.actual() + ", not the "
                    + m.expected() + " asked: give --replication-factor " + m.actual() + ", or reassign its partitions"
                    + " (topics create never changes an existing topic)";
        };
    }

    /** Creates {@code toCreate}, adding to {@code created} each one this call made; one that exists is no error. */
    private static void createEach(Admin admin, List<NewTopic> toCreate, Set<String> created)
            throws InterruptedException, ExecutionException, TimeoutException {
        for (Map.Entry<String, KafkaFuture<Void>> creation : admin.createTopics(toCreate).values().entrySet()) {
            try {
                creation.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                created.add(creation.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /**
     * A topic is created once the controller has it, and listed a moment later, when the broker's view of the
     * metadata has caught up: waiting for that lets a worker started next find every topic.
     */
    private static void awaitListed(Admin admin, TopicNames names)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(NEW_TOPIC_SECONDS);
        while (!missing(admin, names).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static NewTopic newTopic(String topic, int partitions, TopicNames names, Plan plan) {
        return new NewTopic(topic, Optional.of(partitions), plan.replicationFactor())
                .configs(retention(topic, names, plan));
    }

    /** The topics of {@code names} that do not exist, in the order of {@link TopicNames#all()}. */
    public static List<String> missing(Admin admin, TopicNames names)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return names.all().stream().filter(topic -> !existing.contains(topic)).toList();
    }

    /** A topic created a moment ago may be unknown to a view of the metadata for a moment: asked again, for seconds. */
    private static Map<String, TopicDescription> describe(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(NEW_TOPIC_SECONDS);
        while (true) {
            try {
                return admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static Map<String, String> retention(String topic, TopicNames names, Plan plan) {
        boolean deadLetters = topic.equals(names.retryableDeadLetters()) || topic.equals(names.poisonDeadLetters())
                || topic.equals(names.parkedDeadLetters());
        // The audit trail is kept as long as the records of processing must be, which is the operator's to set.
        Optional<Duration> retention = deadLetters ? plan.deadLetterRetention()
                : names.exchange().contains(topic) || topic.equals(names.audit()) ? Optional.empty()
                : plan.retention();
        return retention.map(r -> Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(r.toMillis())))
                .orElse(Map.of());
    }
}
