package com.facecheck.topology;

import org.apache.kafka.streams.processor.api.Record;

/** The worker's own topics carry only its own records; anything else there was written by someone else. */
final class InternalRecords {

    private InternalRecords() {
    }

    /**
     * The record's value, or an exception that names what is missing: a record without a value (a tombstone) or
     * with missing fields is not one of ours, and goes to the poison dead letters through {@link FailedRecords}.
     */
    static <T> T required(Record<?, T> record, String what) {
        T value = record.value();
        if (value == null) {
            throw new IllegalArgumentException("a record without a value is not a " + what);
        }
        if (value instanceof NameClaim claim && (claim.kind() == null || claim.requestId() == null
                || claim.nameKey() == null || (claim.kind() == NameClaim.Kind.RESERVE && claim.personKey() == null))) {
            throw new IllegalArgumentException("a " + what + " without kind, request id, name key or person key");
        }
        if (value instanceof CheckedRequest checked && (checked.request() == null || checked.personKey() == null)) {
            throw new IllegalArgumentException("a " + what + " without its request or person key");
        }
        if (value instanceof NameAnswer answer && answer.requestId() == null) {
            throw new IllegalArgumentException("a " + what + " without a request id");
        }
        return value;
    }
}
