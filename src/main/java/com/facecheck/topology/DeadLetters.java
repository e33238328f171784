package com.facecheck.topology;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Headers on records of the dead-letter topics. A retryable dead letter's value is the whole original request with
 * its personal fields sealed ({@code crypto.SealedRequest}), so a replay opens it with the keyset and produces it
 * back to the request topic with {@value #REPLAY_COUNT} incremented. A poison dead letter's key and value are the
 * record as it was read, each sealed whole under {@link #poisonContext}.
 */
public final class DeadLetters {

    public static final String REASON = "facecheck.dlq.reason";
    public static final String REASON_CODE = "facecheck.dlq.reason-code";
    public static final String SOURCE_TOPIC = "facecheck.dlq.source-topic";
    public static final String SOURCE_PARTITION = "facecheck.dlq.source-partition";
    public static final String SOURCE_OFFSET = "facecheck.dlq.source-offset";
    public static final String FAILED_AT = "facecheck.dlq.failed-at";
    public static final String ATTEMPTS = "facecheck.dlq.attempts";
    /** How many times this request has already been replayed; replays copy it onto the request. */
    public static final String REPLAY_COUNT = "facecheck.dlq.replay-count";
    /** For records that failed inside the worker: the processor they failed in. */
    public static final String PROCESSOR = "facecheck.dlq.processor";
    /** For records that failed inside the worker: the exception's class. */
    public static final String EXCEPTION = "facecheck.dlq.exception";
    /**
     * On a poison dead letter: the id of the key that sealed its key and value (unsigned, as {@code keys list} shows
     * it). They are the record as it was read, and may hold anything, personal data too.
     */
    public static final String SEALED_KEY_ID = "facecheck.dlq.sealed-key-id";
    /** Set when the poison copy had to be written without the record's value, and why. */
    public static final String VALUE_LEFT_OUT = "facecheck.dlq.value-left-out";
    /** On a parked dead letter: why a replay parked it instead of replaying it. */
    public static final String PARKED_REASON = "facecheck.dlq.parked-reason";
    /** On a parked dead letter: the dead letter it was parked from, as {@code topic-partition@offset}. */
    public static final String PARKED_FROM = "facecheck.dlq.parked-from";

    /** The reason codes of retryable dead letters: a request kept whole, its personal fields sealed. */
    public static final List<String> RETRYABLE_REASONS = List.of(Results.PROVIDER_CALL_FAILED,
            Results.PROVIDER_THROTTLED, Results.PROVIDER_UNAVAILABLE, FailedRecords.INTERNAL_ERROR);
    /** The reason codes of poison dead letters: a record as it was read, its key and value each sealed whole. */
    public static final List<String> POISON_REASONS = List.of(FailedRecords.NOT_A_REQUEST,
            FailedRecords.PROCESSING_FAILED);

    private DeadLetters() {
    }

    static Headers headers(CheckedRequest call, int attempts, String reasonCode, String reason, Instant failedAt) {
        RecordHeaders headers = new RecordHeaders();
        put(headers, REASON, reason);
        put(headers, REASON_CODE, reasonCode);
        putSource(headers, call.sourceTopic(), call.sourcePartition(), call.sourceOffset());
        put(headers, FAILED_AT, failedAt.toString());
        put(headers, ATTEMPTS, Integer.toString(attempts));
        put(headers, REPLAY_COUNT, Integer.toString(call.replayCount()));
        return headers;
    }

    /** The reason code the headers give, as dead-letter metrics count it. */
    public static String reasonCode(Headers headers) {
        return Objects.requireNonNullElse(text(headers, REASON_CODE), "none");
    }

    /** The replay count a request carries, 0 when it was never replayed or the header is unreadable. */
    public static int replayCount(Headers headers) {
        String count = text(headers, REPLAY_COUNT);
        if (count == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(count.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Whether a dead letter is in the poison form, its key and value sealed whole, whatever topic holds it now (a
     * parked one keeps its headers): its reason code says so.
     */
    public static boolean sealedWhole(Headers headers) {
        return POISON_REASONS.contains(reasonCode(headers));
    }

    /**
     * What a poison dead letter's key ({@code part} "key") or value ("value") is sealed to: where the record was
     * read, as the source headers say, so that a sealed copy moved to another dead letter does not open there.
     */
    public static String poisonContext(Headers headers, String part) {
        return "poison " + sourceText(headers, SOURCE_TOPIC) + "-" + sourceText(headers, SOURCE_PARTITION) + "@"
                + sourceText(headers, SOURCE_OFFSET) + " " + part;
    }

    private static String sourceText(Headers headers, String key) {
        return Objects.requireNonNullElse(text(headers, key), "");
    }

    /** The last header {@code key} as UTF-8 text; null when there is none or it has no value. */
    public static String text(Headers headers, String key) {
        var header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static void putSource(Headers headers, String topic, int partition, long offset) {
        put(headers, SOURCE_TOPIC, topic);
        put(headers, SOURCE_PARTITION, Integer.toString(partition));
        put(headers, SOURCE_OFFSET, Long.toString(offset));
    }

    /** Where inside the worker a record failed: the exception's class only, its message may quote data. */
    static void putFailure(Headers headers, String processor, Exception failure) {
        put(headers, PROCESSOR, processor);
        put(headers, EXCEPTION, failure.getClass().getName());
    }

    static void put(Headers headers, String key, String value) {
        headers.add(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
