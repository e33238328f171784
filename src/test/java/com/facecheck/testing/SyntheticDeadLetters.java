package com.facecheck.testing;

import com.facecheck.contract.Json;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.SealedRequest;
import com.facecheck.topology.DeadLetters;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Dead letters in the forms the worker writes them (docs/contracts.md, Dead letters), made directly, for tests of the
 * tools that read them: any reason, time and replay count, without an outage to cause them.
 */
public final class SyntheticDeadLetters {

    private SyntheticDeadLetters() {
    }

    /** A retryable dead letter: the request sealed as the worker seals it, keyed by its request id. */
    public static ProducerRecord<byte[], byte[]> retryable(String topic, String sourceTopic, long sourceOffset,
                                                           VerificationRequest request, String reasonCode,
                                                           Instant failedAt, int replayCount, FieldCipher cipher) {
        Headers headers = headers(sourceTopic, sourceOffset, reasonCode, failedAt, replayCount);
        put(headers, DeadLetters.REASON, "the provider failed (synthetic)");
        put(headers, DeadLetters.ATTEMPTS, "1");
        try {
            return new ProducerRecord<>(topic, null, request.requestId().getBytes(StandardCharsets.UTF_8),
                    Json.MAPPER.writeValueAsBytes(SealedRequest.seal(request, cipher)), headers);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A poison dead letter: the record's key and value sealed whole, bound to where it was read. */
    public static ProducerRecord<byte[], byte[]> poison(String topic, String sourceTopic, long sourceOffset,
                                                        byte[] key, byte[] value, String reasonCode, Instant failedAt,
                                                        int replayCount, FieldCipher cipher) {
        Headers headers = headers(sourceTopic, sourceOffset, reasonCode, failedAt, replayCount);
        put(headers, DeadLetters.REASON, "the value is not valid JSON (synthetic)");
        byte[] sealedKey = key == null ? null : cipher.seal(key, DeadLetters.poisonContext(headers, "key"));
        byte[] sealedValue = value == null ? null : cipher.seal(value, DeadLetters.poisonContext(headers, "value"));
        put(headers, DeadLetters.SEALED_KEY_ID,
                Integer.toUnsignedString(FieldCipher.keyId(sealedValue == null ? sealedKey : sealedValue)));
        return new ProducerRecord<>(topic, null, sealedKey, sealedValue, headers);
    }

    /** {@code record} as a consumer reads it at {@code offset} of partition 0. */
    public static ConsumerRecord<byte[], byte[]> read(ProducerRecord<byte[], byte[]> record, long offset) {
        return new ConsumerRecord<>(record.topic(), 0, offset, 0L, TimestampType.CREATE_TIME,
                record.key() == null ? -1 : record.key().length, record.value() == null ? -1 : record.value().length,
                record.key(), record.value(), record.headers(), Optional.empty());
    }

    /** A header's value as text; null when the record has none. */
    public static String header(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Headers headers(String sourceTopic, long sourceOffset, String reasonCode, Instant failedAt,
                                   int replayCount) {
        Headers headers = new RecordHeaders();
        put(headers, DeadLetters.REASON_CODE, reasonCode);
        put(headers, DeadLetters.SOURCE_TOPIC, sourceTopic);
        put(headers, DeadLetters.SOURCE_PARTITION, "0");
        put(headers, DeadLetters.SOURCE_OFFSET, Long.toString(sourceOffset));
        put(headers, DeadLetters.FAILED_AT, failedAt.toString());
        put(headers, DeadLetters.REPLAY_COUNT, Integer.toString(replayCount));
        return headers;
    }

    private static void put(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
