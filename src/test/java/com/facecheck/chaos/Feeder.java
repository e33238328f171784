package com.facecheck.chaos;

import com.facecheck.chaos.ChaosRequests.Sent;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends requests at a steady rate from a thread of its own, as upstream keeps producing while things break. The
 * producer is idempotent and retries for as long as a broker failover takes; a record the broker never took fails
 * the scenario in {@link #awaitSent}, since the worker cannot be blamed for a request that never arrived.
 */
final class Feeder implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private final AtomicInteger handedOver = new AtomicInteger();
    private final ConcurrentLinkedQueue<Future<RecordMetadata>> sends = new ConcurrentLinkedQueue<>();
    private volatile Throwable failure;

    private Feeder(String bootstrap, String topic, List<Sent> requests, double perSecond) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // One batch in flight: a retried batch can then never land behind a later one.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(3).toMillis());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Duration.ofMinutes(3).toMillis());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        thread = new Thread(() -> feed(topic, requests, perSecond), "chaos-feeder");
        thread.setDaemon(true);
    }

    /** Starts sending {@code requests} in order, {@code perSecond} of them a second (0: as fast as it can). */
    static Feeder start(String bootstrap, String topic, List<Sent> requests, double perSecond) {
        Feeder feeder = new Feeder(bootstrap, topic, requests, perSecond);
        feeder.thread.start();
        return feeder;
    }

    private void feed(String topic, List<Sent> requests, double perSecond) {
        long started = System.nanoTime();
        try {
            for (int i = 0; i < requests.size(); i++) {
                if (perSecond > 0) {
                    long due = started + (long) (i * 1e9 / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                sends.add(producer.send(new ProducerRecord<>(topic, requests.get(i).value())));
                handedOver.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Records handed to the producer so far. */
    int handedOver() {
        return handedOver.get();
    }

    /** Waits until every request is sent and taken by the broker; fails when one was not. */
    void awaitSent(Duration within) throws Exception {
        thread.join(within.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("the feeder did not hand over its requests within " + within);
        }
        if (failure != null) {
            throw new AssertionError("the feeder failed", failure);
        }
        producer.flush();
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        producer.close(Duration.ofSeconds(5));
    }
}
