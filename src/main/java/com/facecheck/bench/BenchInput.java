package com.facecheck.bench;

import com.facecheck.contract.Json;
import com.facecheck.local.SyntheticPeople;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.imageio.IIOImage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The requests every contender gets: 40 KB photos and a mix of people as upstream sends them. In every thousand
 * requests: 10 are a request sent again (same request id: an upstream retry), 10 are a person's second attempt
 * (new request id), 7 come from one person who tries more often than the provider allows in a day (5 by ID
 * number: 2 cap hits), the rest are one request each from people not seen before.
 */
final class BenchInput {

    private static final int PHOTOS = 8;
    private static final int PHOTO_TARGET_BYTES = 40 * 1024;
    private static final int HEAVY_PERSON_BASE = 3_000_000;

    private final List<String> photos = new ArrayList<>();
    private final long photoBytes;

    BenchInput() {
        long bytes = 0;
        for (int seed = 0; seed < PHOTOS; seed++) {
            byte[] jpeg = photo(seed);
            bytes += jpeg.length;
            photos.add(Base64.getEncoder().encodeToString(jpeg));
        }
        photoBytes = bytes / PHOTOS;
    }

    /** The photos' mean size in bytes, as JPEG (before base64). */
    long photoBytes() {
        return photoBytes;
    }

    /** The request id of the {@code i}-th request of a sequence whose ids and people start at {@code base}. */
    static String requestId(long base, long i) {
        return isResent(i) ? requestId(base, i - 30) : "bench-" + (base + i);
    }

    /** The person number of the {@code i}-th request. */
    static long person(long base, long i) {
        long inThousand = i % 1000;
        if (isResent(i)) {
            return person(base, i - 30);
        }
        if (i >= 20 && inThousand % 100 == 73) {
            return person(base, i - 20);
        }
        if (inThousand % 100 == 11 && inThousand <= 611) {
            return HEAVY_PERSON_BASE + base + i / 1000;
        }
        return base + i;
    }

    private static boolean isResent(long i) {
        return i >= 30 && i % 100 == 37;
    }

    /** The {@code i}-th request of the sequence starting at {@code base}, as UTF-8 JSON. */
    byte[] request(long base, long i) {
        long person = person(base, i);
        String requestId = requestId(base, i);
        return Json.MAPPER.createObjectNode().put("requestId", requestId)
                .put("name", SyntheticPeople.name((int) (person % Integer.MAX_VALUE)))
                .put("idNumber", SyntheticPeople.idNumber((int) (person % Integer.MAX_VALUE)))
                .put("image", photos.get((int) (person % PHOTOS)))
                .put("consentId", "consent-" + requestId).put("source", "bench")
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Produces requests {@code from} (inclusive) to {@code to} of the sequence at {@code base}, every one acknowledged. */
    void produce(String bootstrap, String topic, int partitions, long base, long from, long to) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (long i = from; i < to; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, (int) (i % partitions), null, request(base, i))));
            }
            producer.flush();
            awaitAll(sent);
        }
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    static void awaitAll(List<Future<RecordMetadata>> sent) {
        try {
            for (Future<RecordMetadata> future : sent) {
                future.get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing the bench's requests", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not take the bench's requests: " + e.getMessage(), e);
        }
    }

    /** A portrait whose JPEG is just under 40 KB: the highest quality that fits. */
    private static byte[] photo(int seed) {
        IIOImage image = new IIOImage(SyntheticPeople.portrait(320, 400, 12, seed), null, null);
        byte[] best = null;
        for (float quality = 0.95f; quality > 0.2f; quality -= 0.05f) {
            best = SyntheticPeople.jpeg(image, quality);
            if (best.length <= PHOTO_TARGET_BYTES) {
                return best;
            }
        }
        return best;
    }
}
