package com.facecheck.testing;

import com.facecheck.contract.Json;
import com.facecheck.contract.VerificationResult;
import com.facecheck.simulator.SimulatedIdentity;
import com.facecheck.topology.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Requests into the broker and results out of what a test read, for the tests that run a real worker. */
public final class Traffic {

    private Traffic() {
    }

    /** One request per person in turn, ids {@code prefix0, prefix1, …}, all with the same photo. */
    public static List<String> requests(String idPrefix, List<SimulatedIdentity> people, int count, String image) {
        List<String> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SimulatedIdentity person = people.get(i % people.size());
            requests.add(request(idPrefix + i, person.name(), person.idNumber(), image));
        }
        return requests;
    }

    /**
     * A request as JSON, with a consent id of its own as upstream systems send it (the worker refuses one without);
     * a null photo is left out.
     */
    public static String request(String requestId, String name, String idNumber, String image) {
        var request = Json.MAPPER.createObjectNode().put("requestId", requestId).put("name", name)
                .put("idNumber", idNumber).put("consentId", consentId(requestId));
        return (image == null ? request : request.put("image", image)).toString();
    }

    /** The consent id {@link #request} gives a request. */
    public static String consentId(String requestId) {
        return "consent-" + requestId;
    }

    /** Each value one unkeyed record; the producer spreads them over the partitions. */
    public static void send(String bootstrap, String topic, List<String> values) {
        send(bootstrap, topic, values, 0);
    }

    /** Each value one record, round-robin over {@code partitions} partitions (none given: the producer decides). */
    public static void send(String bootstrap, String topic, List<String> values, int partitions) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            byte[] value = values.get(i).getBytes(StandardCharsets.UTF_8);
            records.add(partitions > 0 ? new ProducerRecord<>(topic, i % partitions, null, value)
                    : new ProducerRecord<>(topic, value));
        }
        sendAll(bootstrap, records);
    }

    /** Each value one record, as bytes (lines that are not UTF-8, tombstones as null), under {@code key}. */
    public static void sendBytes(String bootstrap, String topic, byte[] key, List<byte[]> values) {
        sendAll(bootstrap, values.stream().map(value -> new ProducerRecord<>(topic, key, value)).toList());
    }

    /** Each value one record on the partition at the same index of {@code partitions}, in list order. */
    public static void sendTo(String bootstrap, String topic, List<String> values, List<Integer> partitions) {
        if (values.size() != partitions.size()) {
            throw new IllegalArgumentException("one partition per value");
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            records.add(new ProducerRecord<>(topic, partitions.get(i), null,
                    values.get(i).getBytes(StandardCharsets.UTF_8)));
        }
        sendAll(bootstrap, records);
    }

    /**
     * Produces {@code records} in order and returns once the broker has taken every one; a record it refused fails the
     * test here. One request in flight at a time: a topic created a moment ago may refuse the first batch while its
     * leader is elected, and an idempotent producer retrying it behind later batches was seen to lose it for good
     * (out-of-order sequence) on a loaded machine.
     */
    public static void sendAll(String bootstrap, List<ProducerRecord<byte[], byte[]>> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = records.stream().map(producer::send).toList();
            for (Future<RecordMetadata> each : sent) {
                each.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker refused a record the test sent", e.getCause());
        }
    }

    /** The records read from result topics. */
    public static List<ConsumerRecord<String, byte[]>> resultRecords(List<ConsumerRecord<String, byte[]>> records,
                                                                    TopicNames names) {
        return records.stream().filter(r -> names.results().containsValue(r.topic())).toList();
    }

    /** The results read, parsed. */
    public static List<VerificationResult> results(List<ConsumerRecord<String, byte[]>> records, TopicNames names) {
        return resultRecords(records, names).stream().map(r -> {
            try {
                return Json.MAPPER.readValue(r.value(), VerificationResult.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }
}
