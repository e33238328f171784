package com.facecheck.bench;

import com.facecheck.contract.Json;
import com.facecheck.ops.OutputReader;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a downstream service sees of a run: every record on its result and dead-letter topics, committed only
 * (read_committed), from the start; when each request id's first one became visible here, and when the contender
 * says it decided it ({@code completedAt}, or Flink's {@code decidedAt}).
 */
final class ResultWatch implements AutoCloseable {

    private final OutputReader reader;
    private final boolean keepTimes;
    private final Map<String, Long> seenAtMillis = new HashMap<>();
    private final Map<String, Long> decidedAtMillis = new HashMap<>();
    private final Map<String, Long> byTopic = new TreeMap<>();
    private long records;
    private long firstNanos;

    /** @param keepTimes whether to read each result's own times, for a latency run */
    ResultWatch(String bootstrap, List<String> topics, boolean keepTimes) {
        this.reader = new OutputReader(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topics, true);
        this.keepTimes = keepTimes;
    }

    /** Reads what arrived within {@code wait}; returns how many records. */
    int poll(Duration wait) {
        List<ConsumerRecord<String, byte[]>> polled = reader.poll(wait);
        long now = System.currentTimeMillis();
        if (!polled.isEmpty() && firstNanos == 0) {
            firstNanos = System.nanoTime();
        }
        for (ConsumerRecord<String, byte[]> record : polled) {
            records++;
            byTopic.merge(record.topic(), 1L, Long::sum);
            String requestId = record.key() == null ? "?" : record.key();
            if (seenAtMillis.putIfAbsent(requestId, now) == null && keepTimes) {
                decided(record.value()).ifPresent(at -> decidedAtMillis.put(requestId, at));
            }
        }
        return polled.size();
    }

    private static Optional<Long> decided(byte[] value) {
        try {
            JsonNode result = Json.MAPPER.readTree(value);
            JsonNode at = result.hasNonNull("completedAt") ? result.get("completedAt") : result.get("decidedAt");
            return at == null || !at.isTextual() ? Optional.empty()
                    : Optional.of(Instant.parse(at.asText()).toEpochMilli());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Records read so far, a request's duplicates included. */
    long records() {
        return records;
    }

    /** Distinct request ids read so far. */
    long requests() {
        return seenAtMillis.size();
    }

    /** {@link System#nanoTime()} when the first record was read; 0 before. */
    long firstNanos() {
        return firstNanos;
    }

    Map<String, Long> seenAtMillis() {
        return seenAtMillis;
    }

    Map<String, Long> decidedAtMillis() {
        return decidedAtMillis;
    }

    Map<String, Long> byTopic() {
        return byTopic;
    }

    @Override
    public void close() {
        reader.close();
    }
}
