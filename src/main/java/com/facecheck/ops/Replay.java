package com.facecheck.ops;

import com.facecheck.contract.Json;
import com.facecheck.contract.PersonFields;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.Keyset;
import com.facecheck.topology.DeadLetters;
import com.facecheck.topology.TopicNames;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bucket4j.Bucket;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces dead letters back to the request topic, opened with the keyset, each exactly once however often the
 * replay is killed and started again: the records it produces (replayed and parked) and how far it has read are
 * committed together, in one Kafka transaction per batch, under the replay's own consumer group. A restarted replay
 * first fences the one before it (same transactional id, which aborts whatever that one left open), then goes on
 * from the committed offsets.
 *
 * <p>The group's offsets say how far it has read, not what it replayed: a dead letter a filter skips is read and
 * passed over, and that group never offers it again. A replay of part of the dead letters now and the rest later
 * gives each part its own group. A replay reads up to the ends the topic had when it started, so dead letters that
 * arrive meanwhile wait for the next run.
 */
public final class Replay {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int MAX_BATCH = 500;
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(30);

    /** What happens to a dead letter. */
    public enum Action {
        /** Produced again to the request topic, opened, its replay count one higher. */
        REPLAY("replayed", "replay"),
        /** Copied as it is to the parked dead letters, with why, for a person to look at. */
        PARK("parked", "park"),
        /** Passed over: the filter did not take it. */
        SKIP("skipped by filter", "skip");

        private final String done;
        private final String planned;

        Action(String done, String planned) {
            this.done = done;
            this.planned = planned;
        }

        /** As a summary of a run says it: {@code replayed}; of a dry run: {@code replay}. */
        public String label(boolean dryRun) {
            return dryRun ? planned : done;
        }
    }

    /**
     * What to replay and how.
     *
     * @param from       the dead-letter topic read
     * @param to         where replays go: the request topic, or another for a trial
     * @param parked     where parked dead letters go
     * @param group      the consumer group whose committed offsets are the replay's progress
     * @param limit      at most this many dead letters replayed or parked, then stop (the rest stays for the next
     *                   run); 0 for all
     * @param maxReplays a dead letter already replayed this often is parked instead; 0 for no limit
     * @param rate       replays per second at most, so that a replay leaves the provider's rate to live traffic;
     *                   0 for no limit
     * @param dryRun     produce nothing and commit nothing, only count and show what a run would do
     * @param samples    with {@code dryRun}: how many dead letters to show, masked
     */
    public record Options(String from, String to, String parked, String group, ReplayFilter filter, long limit,
                          int maxReplays, int rate, boolean dryRun, int samples) {

        public Options {
            if (from.equals(to)) {
                throw new IllegalArgumentException("a replay reads " + from + " and cannot write back to it");
            }
            if (limit < 0 || maxReplays < 0 || rate < 0 || samples < 0) {
                throw new IllegalArgumentException("limits and rates are 0 (none) or more");
            }
        }

        /** One producer per group and topic read: a second replay of the same pair fences the first. */
        public String transactionalId() {
            return group + "-" + from;
        }
    }

    /** How far a replay is, and what it did so far. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param done the share of what the replay set out to read that it has read, 0–1: by offsets, which count
         *             the transaction markers between dead letters too, so it moves evenly while records are not
         *             counted exactly
         */
        void update(double done, Summary soFar);
    }

    /**
     * What a replay did, or a dry run would do.
     *
     * @param tallies       by action, then by reason code, in the order first met
     * @param samples       of a dry run: dead letters it would replay or park, masked as {@code results} shows them
     * @param missingKeys   key ids the keyset lacks, with how many dead letters to replay each sealed; a run stops at
     *                      the first of them, having committed everything before it
     * @param firstMissing  where the first such dead letter is; null when none
     * @param stoppedBefore why the run ended before the end of the topic (a limit, a stop); null when it did not
     */
    public record Summary(Map<Action, Map<String, Tally>> tallies, List<ObjectNode> samples,
                          Map<Long, Long> missingKeys, String firstMissing, String stoppedBefore) {

        public long count(Action action) {
            return tallies.getOrDefault(action, Map.of()).values().stream().mapToLong(Tally::count).sum();
        }

        /**
         * The summary a person reads: one line of counts, one per reason code with when its oldest and newest dead
         * letters failed, and the dry run's samples as JSON lines.
         */
        public List<String> lines(Options options) {
            boolean dry = options.dryRun();
            List<String> lines = new ArrayList<>();
            String counts = Action.REPLAY.label(dry) + " " + count(Action.REPLAY) + " to " + options.to() + ", "
                    + Action.PARK.label(dry) + " " + count(Action.PARK) + " to " + options.parked() + ", "
                    + Action.SKIP.label(dry) + " " + count(Action.SKIP);
            lines.add(dry ? "Dry run, nothing produced and no progress committed: a replay from " + options.from()
                    + " under group " + options.group() + " would " + counts + "."
                    : capitalised(counts) + " (from " + options.from() + ", group " + options.group() + ").");
            Map<String, Map<Action, Tally>> reasons = new LinkedHashMap<>();
            tallies.forEach((action, byCode) -> byCode.forEach((code, tally) ->
                    reasons.computeIfAbsent(code, c -> new EnumMap<>(Action.class)).put(action, tally)));
            reasons.forEach((code, byAction) -> lines.add("  " + code + ": " + byAction.entrySet().stream()
                    .map(e -> e.getKey().label(dry) + " " + e.getValue()).collect(Collectors.joining("; "))));
            if (count(Action.SKIP) > 0) {
                lines.add("  Group " + options.group() + " has read past what the filter skipped and will not offer it"
                        + " again: replay it under another --group.");
            }
            if (stoppedBefore != null) {
                lines.add("  " + (dry ? "A replay would stop" : "Stopped") + " before the end of " + options.from()
                        + " (" + stoppedBefore + ")" + (dry ? "." : ": run replay again to go on."));
            }
            samples.forEach(sample -> lines.add(sample.toString()));
            return lines;
        }

        /** Null, or what to do about dead letters sealed under keys the keyset lacks; never any content. */
        public String missingKeysProblem(Options options) {
            if (missingKeys.isEmpty()) {
                return null;
            }
            String keys = missingKeys.entrySet().stream().map(e -> "key " + e.getKey() + " that sealed " + e.getValue()
                    + " of the dead letters to replay").collect(Collectors.joining(" and "));
            return "the keyset lacks " + keys + " (the first at " + firstMissing + "); "
                    + (options.dryRun() ? "a replay would stop there" : "the replay stopped there, everything before it"
                    + " is replayed") + ": add the key back to the keyset, or set FACECHECK_KEYSET (or"
                    + " FACECHECK_KEYSET_FILE) to the keyset the worker used, then run replay again";
        }

        private static String capitalised(String text) {
            return Character.toUpperCase(text.charAt(0)) + text.substring(1);
        }
    }

    /** What to do with one dead letter, and for a parked one why. */
    record Decision(Action action, String why) {
    }

    private Replay() {
    }

    /**
     * Runs a replay, or with {@link Options#dryRun()} reads as one would and produces nothing.
     *
     * @param client        Kafka client settings (bootstrap servers, security)
     * @param keyset        opens what the worker sealed
     * @param stopRequested asked between batches: a stop ends the run after committing the batch
     * @throws org.apache.kafka.common.errors.ProducerFencedException when another replay of the same group and topic
     *                                                                started meanwhile
     */
    public static Summary run(Map<String, Object> client, TopicNames names, Options options, Keyset keyset,
                              Progress progress, BooleanSupplier stopRequested) {
        Run run = new Run(names, options, keyset);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(client, options),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = options.dryRun() ? null : new KafkaProducer<>(
                     producerProperties(client, options), new ByteArraySerializer(), new ByteArraySerializer())) {
            if (producer != null) {
                // Before the offsets are read: this aborts what a killed run of this group left open, offsets too.
                producer.initTransactions();
            }
            run.read(consumer, producer, progress, stopRequested);
        }
        return run.summary();
    }

    /**
     * What happens to {@code letter}: skipped unless the filter takes it; parked when it was replayed too often, cannot
     * be produced again, or is no request (a record of the worker's own name exchange, whose request is on the
     * retryable dead letters already); else replayed.
     */
    static Decision decide(DeadLetter letter, Options options, TopicNames names) {
        if (!options.filter().matches(letter)) {
            return new Decision(Action.SKIP, null);
        }
        if (options.maxReplays() > 0 && letter.replayCount() >= options.maxReplays()) {
            return new Decision(Action.PARK, "replayed " + letter.replayCount() + " times already (--max-replays "
                    + options.maxReplays() + ")");
        }
        if (letter.unreadable() != null) {
            return new Decision(Action.PARK, "cannot be replayed: " + letter.unreadable());
        }
        if (names.exchange().contains(letter.sourceTopic())) {
            return new Decision(Action.PARK, "a record of the worker's name exchange (" + letter.sourceTopic()
                    + "), not a request: its request ended as an internal error and is on the retryable dead letters");
        }
        return new Decision(Action.REPLAY, null);
    }

    /**
     * The record to produce for a dead letter: the request opened, as upstream sends one, keyed by its request id;
     * a poison record's key and value opened, as they were read. Either with its replay count one higher.
     *
     * @throws FieldCipher.UnopenedEnvelope when something sealed does not open
     */
    static ProducerRecord<byte[], byte[]> replayed(ConsumerRecord<byte[], byte[]> r, DeadLetter letter,
                                                   FieldCipher cipher, String to) {
        Headers headers = new RecordHeaders();
        headers.add(DeadLetters.REPLAY_COUNT,
                Integer.toString(letter.replayCount() + 1).getBytes(StandardCharsets.UTF_8));
        if (letter.sealedWhole()) {
            byte[] key = r.key() == null ? null : cipher.open(r.key(), DeadLetters.poisonContext(r.headers(), "key"));
            byte[] value = r.value() == null ? null
                    : cipher.open(r.value(), DeadLetters.poisonContext(r.headers(), "value"));
            return new ProducerRecord<>(to, null, key, value, headers);
        }
        VerificationRequest request = letter.request().open(cipher);
        try {
            return new ProducerRecord<>(to, null, request.requestId().getBytes(StandardCharsets.UTF_8),
                    Json.MAPPER.writeValueAsBytes(request), headers);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a request read from JSON cannot be written as JSON", e);
        }
    }

    /** The dead letter as it is, key, value and headers, with why it is parked and where it was. */
    static ProducerRecord<byte[], byte[]> parked(ConsumerRecord<byte[], byte[]> r, DeadLetter letter, String why,
                                                 String parkedTopic) {
        Headers headers = new RecordHeaders(r.headers().toArray());
        headers.add(DeadLetters.PARKED_REASON, why.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.PARKED_FROM, letter.where().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(parkedTopic, null, r.key(), r.value(), headers);
    }

    private static Map<String, Object> consumerProperties(Map<String, Object> client, Options options) {
        Map<String, Object> p = new HashMap<>(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, options.group());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A committed offset that retention has since passed: go on from the oldest dead letter kept.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A batch is one transaction: at a limited rate, about a second of replays, far inside its timeout.
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, options.rate() > 0 ? Math.min(options.rate(), MAX_BATCH)
                : MAX_BATCH);
        return p;
    }

    private static Map<String, Object> producerProperties(Map<String, Object> client, Options options) {
        Map<String, Object> p = new HashMap<>(client);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, options.transactionalId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // What a killed run leaves open holds back every read_committed reader of the request topic, the worker
        // included, until the next run fences it or this passes; a batch takes about a second.
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis());
        return p;
    }

    /** One replay's reading, producing and counting. */
    private static final class Run {

        private final TopicNames names;
        private final Options options;
        private final FieldCipher cipher;
        private final Set<Long> heldKeys;
        private final Bucket rate;
        private final Map<Action, Map<String, Tally>> tallies = new EnumMap<>(Action.class);
        private final List<ObjectNode> samples = new ArrayList<>();
        private final Map<Long, Long> missingKeys = new TreeMap<>();
        private String firstMissing;
        private String stoppedBefore;
        private long taken;

        Run(TopicNames names, Options options, Keyset keyset) {
            this.names = names;
            this.options = options;
            this.cipher = new FieldCipher(keyset);
            this.heldKeys = keyset.keys().stream().filter(Keyset.KeyInfo::enabled)
                    .map(k -> Integer.toUnsignedLong(k.id())).collect(Collectors.toSet());
            this.rate = options.rate() == 0 || options.dryRun() ? null : Bucket.builder()
                    .addLimit(limit -> limit.capacity(Math.max(1, options.rate() / 10))
                            .refillGreedy(options.rate(), Duration.ofSeconds(1)))
                    .build();
        }

        void read(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer, Progress progress,
                  BooleanSupplier stopRequested) {
            List<TopicPartition> partitions = consumer.partitionsFor(options.from(), TIMEOUT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), TIMEOUT);
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata at = committed.get(partition);
                if (at == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, at.offset());
                }
            }
            // read_committed: the last stable offsets, where the committed dead letters end now.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> starts = new HashMap<>();
            Map<TopicPartition, Long> next = new HashMap<>();
            Set<TopicPartition> finished = new HashSet<>();
            for (TopicPartition partition : partitions) {
                long position = consumer.position(partition, TIMEOUT);
                starts.put(partition, position);
                next.put(partition, position);
                if (position >= ends.get(partition)) {
                    finished.add(partition);
                }
            }
            consumer.pause(finished);
            // Once a dead letter's key is missing nothing more is produced; the rest is read to count what it lacks.
            boolean counting = false;
            while (finished.size() < partitions.size()) {
                if (!counting && stopRequested.getAsBoolean()) {
                    stoppedBefore = "stopped by a signal";
                    break;
                }
                Map<TopicPartition, Long> before = new HashMap<>(next);
                boolean inTransaction = false;
                boolean wholeBatch = true;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    TopicPartition partition = new TopicPartition(r.topic(), r.partition());
                    if (finished.contains(partition)) {
                        continue;
                    }
                    if (r.offset() >= ends.get(partition)) {
                        finished.add(partition);
                        consumer.pause(List.of(partition));
                        continue;
                    }
                    DeadLetter letter = DeadLetter.of(r);
                    Decision decision = decide(letter, options, names);
                    if (counting) {
                        countIfMissing(letter, decision);
                        continue;
                    }
                    if (decision.action() != Action.SKIP && options.limit() > 0 && taken >= options.limit()) {
                        stoppedBefore = "--limit " + options.limit() + " reached";
                        wholeBatch = false;
                        break;
                    }
                    ProducerRecord<byte[], byte[]> out = null;
                    if (decision.action() == Action.REPLAY) {
                        boolean missing = countIfMissing(letter, decision);
                        if (missing && producer != null) {
                            counting = true;
                            continue;
                        }
                        try {
                            // A dry run opens what it can too: what would not open shows now, not in the real run.
                            out = missing ? null : replayed(r, letter, cipher, options.to());
                        } catch (FieldCipher.UnopenedEnvelope e) {
                            decision = new Decision(Action.PARK, "does not open under key " + letter.keyId()
                                    + ", which the keyset holds: it was altered, or belongs to another record");
                        }
                    }
                    if (decision.action() == Action.PARK) {
                        out = parked(r, letter, decision.why(), options.parked());
                    }
                    if (producer != null && out != null) {
                        if (!inTransaction) {
                            producer.beginTransaction();
                            inTransaction = true;
                        }
                        if (decision.action() == Action.REPLAY && rate != null) {
                            rate.asBlocking().consumeUninterruptibly(1);
                        }
                        producer.send(out);
                    }
                    count(decision, letter, r);
                    next.put(partition, r.offset() + 1);
                }
                if (wholeBatch && !counting) {
                    // Past what the batch held: control records and aborted dead letters, never to be read again.
                    for (TopicPartition partition : partitions) {
                        if (!finished.contains(partition)) {
                            next.put(partition, Math.max(next.get(partition), consumer.position(partition)));
                        }
                    }
                }
                commit(consumer, producer, before, next, inTransaction);
                if (stoppedBefore != null) {
                    break;
                }
                for (TopicPartition partition : partitions) {
                    if (!finished.contains(partition) && consumer.position(partition) >= ends.get(partition)) {
                        finished.add(partition);
                    }
                }
                progress.update(done(partitions, starts, next, ends, finished), summary());
            }
        }

        private static double done(List<TopicPartition> partitions, Map<TopicPartition, Long> starts,
                                   Map<TopicPartition, Long> next, Map<TopicPartition, Long> ends,
                                   Set<TopicPartition> finished) {
            long total = 0;
            long read = 0;
            for (TopicPartition partition : partitions) {
                long span = Math.max(0, ends.get(partition) - starts.get(partition));
                total += span;
                read += finished.contains(partition) ? span
                        : Math.min(span, Math.max(0, next.get(partition) - starts.get(partition)));
            }
            return total == 0 ? 1 : (double) read / total;
        }

        /** Whether the keyset lacks the key that sealed a dead letter to replay; counted when it does. */
        private boolean countIfMissing(DeadLetter letter, Decision decision) {
            if (decision.action() != Action.REPLAY || letter.keyId() == null || heldKeys.contains(letter.keyId())) {
                return false;
            }
            missingKeys.merge(letter.keyId(), 1L, Long::sum);
            if (firstMissing == null) {
                firstMissing = letter.where();
            }
            return true;
        }

        private void count(Decision decision, DeadLetter letter, ConsumerRecord<byte[], byte[]> r) {
            tallies.computeIfAbsent(decision.action(), a -> new LinkedHashMap<>())
                    .merge(letter.reasonCode(), Tally.NONE.plus(letter.failedAt()),
                            (tally, one) -> tally.plus(letter.failedAt()));
            if (decision.action() != Action.SKIP) {
                taken++;
                if (options.dryRun() && samples.size() < options.samples()) {
                    samples.add(OutputLines.line(r, names, PersonFields.DEFAULT)
                            .put("action", decision.action().label(true))
                            .put("parkedBecause", decision.why()));
                }
            }
        }

        /** Commits what the batch produced together with how far it read: both or neither. */
        private void commit(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
                            Map<TopicPartition, Long> before, Map<TopicPartition, Long> next, boolean inTransaction) {
            if (producer == null) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            next.forEach((partition, offset) -> {
                if (!offset.equals(before.get(partition))) {
                    offsets.put(partition, new OffsetAndMetadata(offset));
                }
            });
            if (offsets.isEmpty() && !inTransaction) {
                return;
            }
            if (!inTransaction) {
                producer.beginTransaction();
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        }

        Summary summary() {
            Map<Action, Map<String, Tally>> copy = new EnumMap<>(Action.class);
            tallies.forEach((action, byCode) -> copy.put(action,
                    Collections.unmodifiableMap(new LinkedHashMap<>(byCode))));
            return new Summary(Collections.unmodifiableMap(copy), List.copyOf(samples),
                    Collections.unmodifiableMap(new TreeMap<>(missingKeys)), firstMissing, stoppedBefore);
        }
    }
}
