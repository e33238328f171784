package com.facecheck.bench;

import com.facecheck.app.ConfigLoader;
import com.facecheck.app.WorkerConfig;
import com.facecheck.contract.RequestParser;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.HttpProvider;
import com.facecheck.topology.JsonSerde;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A benchmark contender, the upper bound of what the HTTP side allows: a plain consumer that commits what it polled
 * before working on it (at-most-once), checks each request as the worker does and calls the same asynchronous
 * {@link HttpProvider} with as many calls in flight as the worker's limit, and writes each result with a plain
 * producer as its answer comes. No transactions, state, deduplication, caps or retries. A request that is not JSON
 * is skipped: the contender measures the HTTP side, not bad input.
 */
public final class PlainConsumer {

    private PlainConsumer() {
    }

    /** Runs on the worker's configuration, read as {@code run} reads it, until the process is stopped. */
    public static void main(String[] args) {
        WorkerConfig config = ConfigLoader.load(new ConfigLoader.Sources(null, System.getenv(), List.of()))
                .workerConfig();
        Vertx vertx = Vertx.vertx();
        int inFlight = config.provider().maxInFlight();
        HttpProvider provider = new HttpProvider(vertx, config.provider().url(), config.secrets().credentials(),
                config.provider().callTimeout(), inFlight);
        DirectCheck check = new DirectCheck(config, provider, Clock.systemUTC());
        RequestParser parser = new RequestParser(config.secrets().hasher());
        Serializer<VerificationResult> results = new JsonSerde<>(VerificationResult.class).serializer();
        Semaphore calls = new Semaphore(inFlight);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(config),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.<String, Object>of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(config.topics().requests()));
            while (!Thread.currentThread().isInterrupted()) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(10));
                if (polled.isEmpty()) {
                    continue;
                }
                consumer.commitAsync();
                for (ConsumerRecord<byte[], byte[]> record : polled) {
                    VerificationRequest request;
                    try {
                        request = parser.parse(record.value());
                    } catch (RequestParser.NotARequestException e) {
                        continue;
                    }
                    calls.acquireUninterruptibly();
                    check.check(request, Instant.ofEpochMilli(record.timestamp())).whenComplete((result, failure) -> {
                        calls.release();
                        if (result != null) {
                            producer.send(new ProducerRecord<>(config.topics().resultTopic(result.outcomeEnum()),
                                    result.requestId(), results.serialize(null, result)));
                        }
                    });
                }
            }
        } finally {
            provider.close();
            vertx.close();
        }
    }

    private static Map<String, Object> consumerProperties(WorkerConfig config) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, config.kafka().applicationId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    }
}
