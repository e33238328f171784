package com.facecheck.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** Collects what the worker wrote, committed records only, from the start of the given topics. */
public final class OutputCollector implements AutoCloseable {

    private final OutputReader reader;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

    public OutputCollector(String bootstrapServers, List<String> topics) {
        this.reader = new OutputReader(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topics, true);
    }

    /** Polls once for up to {@code wait}; returns everything read so far. */
    public List<ConsumerRecord<String, byte[]>> poll(Duration wait) {
        records.addAll(reader.poll(wait));
        return List.copyOf(records);
    }

    /**
     * Reads on until every partition is read to its end as it stands now. Records written in one transaction
     * (a result and its dead letter) become visible together but may be fetched apart: this fetches the rest.
     */
    public List<ConsumerRecord<String, byte[]>> catchUp(Duration atMost) {
        Map<TopicPartition, Long> ends = reader.ends();
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline && !reader.reached(ends)) {
            poll(Duration.ofMillis(100));
        }
        return List.copyOf(records);
    }

    /** Everything read so far. */
    public List<ConsumerRecord<String, byte[]>> records() {
        return List.copyOf(records);
    }

    /** How many records read so far match. */
    public long count(Predicate<ConsumerRecord<String, byte[]>> filter) {
        return records.stream().filter(filter).count();
    }

    @Override
    public void close() {
        reader.close();
    }
}
