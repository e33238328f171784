package com.facecheck.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what the worker wrote, committed records only, from the start of the given topics; no consumer
 * group, so it disturbs no one.
 */
public final class OutputCollector implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

    public OutputCollector(String bootstrapServers, List<String> topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls once for up to {@code wait}; returns everything read so far. */
    public List<ConsumerRecord<String, byte[]>> poll(Duration wait) {
        consumer.poll(wait).forEach(records::add);
        return List.copyOf(records);
    }

    /**
     * Reads on until every partition is read to its end as it stands now. Records written in one transaction
     * (a result and its dead letter) become visible together but may be fetched apart: this fetches the rest.
     */
    public List<ConsumerRecord<String, byte[]>> catchUp(Duration atMost) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline
                && ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
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
        consumer.close(Duration.ofSeconds(5));
    }
}
