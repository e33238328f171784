package com.facecheck.ops;

import com.facecheck.contract.PersonFields;
import com.facecheck.crypto.Keyset;
import com.facecheck.topology.TopicNames;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What the dead-letter topics hold now, for the on-call engineer deciding on a replay: per topic, the committed
 * dead letters by reason, when the oldest and newest failed, how often they were replayed already and which keys
 * sealed them, with a few masked. It reads with a consumer of no group: it commits nothing and disturbs no one.
 */
public final class DeadLetterReport {

    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * One topic's dead letters.
     *
     * @param byReason      by reason code, in the order first met
     * @param byReplayCount how many had been replayed how often already
     * @param byKey         by the id of the key that sealed them (unsigned)
     * @param samples       the first ones, masked as {@code results} shows them
     */
    public record TopicReport(String topic, Tally all, Map<String, Tally> byReason, Map<Integer, Long> byReplayCount,
                              Map<Long, Long> byKey, List<ObjectNode> samples) {
    }

    private DeadLetterReport() {
    }

    /** Reads {@code topics} from their beginning to their ends as they are now, keeping {@code show} samples each. */
    public static List<TopicReport> read(Map<String, Object> client, TopicNames names, List<String> topics, int show) {
        Map<String, Builder> builders = new LinkedHashMap<>();
        topics.forEach(topic -> builders.put(topic, new Builder(topic)));
        try (OutputReader reader = new OutputReader(client, topics, true)) {
            Map<TopicPartition, Long> ends = reader.ends();
            while (!reader.reached(ends)) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(POLL)) {
                    // Records arriving meanwhile are left for the next look: the report is of one moment.
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        builders.get(r.topic()).add(r, names, show);
                    }
                }
            }
        }
        return builders.values().stream().map(Builder::build).toList();
    }

    /**
     * The report as lines a person reads, the samples as JSON lines after their topic; with a keyset, whether it
     * holds each key a replay needs.
     */
    public static List<String> lines(List<TopicReport> reports, Optional<Keyset> keyset) {
        List<String> lines = new ArrayList<>();
        List<Long> held = keyset.map(k -> k.keys().stream().filter(Keyset.KeyInfo::enabled)
                .map(key -> Integer.toUnsignedLong(key.id())).toList()).orElse(List.of());
        for (TopicReport report : reports) {
            if (report.all().count() == 0) {
                lines.add(report.topic() + ": none");
                continue;
            }
            lines.add(report.topic() + ": " + report.all());
            report.byReason().forEach((reason, tally) -> lines.add("  " + reason + ": " + tally));
            lines.add("  replayed before: " + report.byReplayCount().entrySet().stream()
                    .map(e -> e.getValue() + " " + times(e.getKey())).collect(Collectors.joining(", ")));
            report.byKey().forEach((keyId, count) -> lines.add("  sealed under key " + keyId + ": " + count
                    + (keyset.isEmpty() ? " (set FACECHECK_KEYSET to check the keyset holds it)"
                    : held.contains(keyId) ? " (the keyset holds it)"
                    : " (NOT in the keyset: a replay stops at the first of them; add the key back to the keyset,"
                    + " or set FACECHECK_KEYSET to the keyset the worker used)")));
            report.samples().forEach(sample -> lines.add(sample.toString()));
        }
        return lines;
    }

    private static String times(int replayCount) {
        return switch (replayCount) {
            case 0 -> "never";
            case 1 -> "once";
            default -> replayCount + " times";
        };
    }

    private static final class Builder {

        private final String topic;
        private Tally all = Tally.NONE;
        private final Map<String, Tally> byReason = new LinkedHashMap<>();
        private final Map<Integer, Long> byReplayCount = new TreeMap<>();
        private final Map<Long, Long> byKey = new TreeMap<>();
        private final List<ObjectNode> samples = new ArrayList<>();

        Builder(String topic) {
            this.topic = topic;
        }

        void add(ConsumerRecord<String, byte[]> r, TopicNames names, int show) {
            DeadLetter letter = DeadLetter.of(r);
            all = all.plus(letter.failedAt());
            byReason.merge(letter.reasonCode(), Tally.NONE.plus(letter.failedAt()),
                    (tally, one) -> tally.plus(letter.failedAt()));
            byReplayCount.merge(letter.replayCount(), 1L, Long::sum);
            if (letter.keyId() != null) {
                byKey.merge(letter.keyId(), 1L, Long::sum);
            }
            if (samples.size() < show) {
                samples.add(OutputLines.line(r, names, PersonFields.DEFAULT));
            }
        }

        TopicReport build() {
            return new TopicReport(topic, all, Collections.unmodifiableMap(byReason),
                    Collections.unmodifiableMap(byReplayCount), Collections.unmodifiableMap(byKey),
                    List.copyOf(samples));
        }
    }
}
