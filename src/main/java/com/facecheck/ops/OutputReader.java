package com.facecheck.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads committed records of the given topics, from their beginning or from now on; no consumer group, so it
 * disturbs no one and remembers nothing.
 */
public final class OutputReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;

    /**
     * @param clientProperties Kafka client settings (bootstrap servers, security); the isolation level is always
     *                         {@code read_committed}, as results are meant to be read
     * @param fromBeginning    from the first record kept, or else from the end of every partition as it is now
     */
    public OutputReader(Map<String, Object> clientProperties, List<String> topics, boolean fromBeginning) {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
            // A seek is evaluated lazily, at the first poll: asking for the positions fixes "the end" now, so
            // that nothing written between here and that poll is skipped.
            partitions.forEach(consumer::position);
        }
    }

    /** The records that arrive within {@code wait}. */
    public List<ConsumerRecord<String, byte[]>> poll(Duration wait) {
        List<ConsumerRecord<String, byte[]>> polled = new ArrayList<>();
        consumer.poll(wait).forEach(polled::add);
        return polled;
    }

    /** Where every partition ends as it stands now: the last stable offset, as committed records end there. */
    public Map<TopicPartition, Long> ends() {
        return consumer.endOffsets(consumer.assignment());
    }

    /** Whether every partition is read up to {@code ends}. */
    public boolean reached(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
