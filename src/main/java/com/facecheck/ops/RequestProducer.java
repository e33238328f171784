package com.facecheck.ops;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces request records as they are, unkeyed (the worker reads no key), and waits for every answer. */
public final class RequestProducer {

    private RequestProducer() {
    }

    /**
     * Sends each value as one record to {@code topic}, in order, with idempotence and {@code acks=all} unless
     * {@code clientProperties} say otherwise; returns the values that were not written, by their index, with why.
     */
    public static SortedMap<Integer, Exception> send(Map<String, Object> clientProperties, String topic,
                                                     List<byte[]> values) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putAll(clientProperties);
        SortedMap<Integer, Exception> failed = new ConcurrentSkipListMap<>();
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < values.size(); i++) {
                int index = i;
                producer.send(new ProducerRecord<>(topic, values.get(i)), (written, e) -> {
                    if (e != null) {
                        failed.put(index, e);
                    }
                });
            }
            producer.flush();
        }
        return failed;
    }
}
