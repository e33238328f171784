package com.facecheck.ops;

import com.facecheck.contract.Json;
import com.facecheck.crypto.SealedRequest;
import com.facecheck.topology.DeadLetters;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * One record of a dead-letter topic as the operations tools see it without opening anything sealed: where it is,
 * why it failed and when, how often it was replayed, which key sealed it. Nothing here is personal data in clear.
 *
 * @param failedAt    the {@code facecheck.dlq.failed-at} header, else the record's timestamp
 * @param requestId   of a retryable dead letter; null for a poison one, whose key is sealed
 * @param keyId       the id of the key that sealed it (unsigned); null when nothing in it is sealed
 * @param sealedWhole the poison form: key and value each sealed whole, bound to {@link #sourceTopic} and its place
 * @param sourceTopic where the worker read the record that failed
 * @param request     a retryable dead letter's sealed request; null for a poison one or one that is unreadable
 * @param unreadable  why a replay cannot produce this record again, never quoting it; null when it can try
 */
public record DeadLetter(String topic, int partition, long offset, String reasonCode, Instant failedAt,
                         int replayCount, String requestId, Long keyId, boolean sealedWhole, String sourceTopic,
                         SealedRequest request, String unreadable) {

    /** Reads the headers and, for a retryable dead letter, the readable part of its value. */
    public static DeadLetter of(ConsumerRecord<?, byte[]> r) {
        Headers headers = r.headers();
        String reasonCode = DeadLetters.reasonCode(headers);
        Instant failedAt = failedAt(headers, r.timestamp());
        int replayCount = DeadLetters.replayCount(headers);
        String sourceTopic = DeadLetters.text(headers, DeadLetters.SOURCE_TOPIC);
        if (DeadLetters.sealedWhole(headers)) {
            String keyId = DeadLetters.text(headers, DeadLetters.SEALED_KEY_ID);
            String unreadable = headers.lastHeader(DeadLetters.VALUE_LEFT_OUT) != null
                    ? "the dead letter was written without the record's value (too large): read it at its source offset"
                    : null;
            return new DeadLetter(r.topic(), r.partition(), r.offset(), reasonCode, failedAt, replayCount, null,
                    keyId == null ? null : unsigned(keyId), true, sourceTopic, null, unreadable);
        }
        String key = OutputLines.text(r.key());
        if (r.value() == null) {
            return new DeadLetter(r.topic(), r.partition(), r.offset(), reasonCode, failedAt, replayCount, key, null,
                    false, sourceTopic, null, "the dead letter has no value");
        }
        SealedRequest request;
        try {
            request = Json.MAPPER.readValue(r.value(), SealedRequest.class);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || request.requestId() == null) {
            return new DeadLetter(r.topic(), r.partition(), r.offset(), reasonCode, failedAt, replayCount, key, null,
                    false, sourceTopic, null, "the value is not a sealed request as the worker writes one");
        }
        return new DeadLetter(r.topic(), r.partition(), r.offset(), reasonCode, failedAt, replayCount,
                request.requestId(), request.sealed() == null ? null : request.sealed().keyId(), false, sourceTopic,
                request, null);
    }

    /** {@code facecheck.dlq.retryable-2@17}: where to find the record, as errors and headers name it. */
    public String where() {
        return topic + "-" + partition + "@" + offset;
    }

    private static Instant failedAt(Headers headers, long timestamp) {
        String text = DeadLetters.text(headers, DeadLetters.FAILED_AT);
        if (text != null) {
            try {
                return Instant.parse(text.strip());
            } catch (DateTimeException e) {
                // A header someone else wrote: the record's own time is the next best answer.
            }
        }
        return Instant.ofEpochMilli(timestamp);
    }

    private static Long unsigned(String keyId) {
        try {
            return Long.parseLong(keyId.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
