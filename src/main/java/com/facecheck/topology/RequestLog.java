package com.facecheck.topology;

import com.facecheck.contract.VerificationResult;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Log lines about one request carry its id, the partition it was served on and, once it has one, its outcome as
 * fields of their own beside the text, so that JSON logs can be searched by them ({@value #REQUEST_ID},
 * {@value #PARTITION}, {@value #OUTCOME}). Request ids and outcomes hold no personal data.
 */
final class RequestLog {

    static final String REQUEST_ID = "request.id";
    static final String PARTITION = "partition";
    static final String OUTCOME = "outcome";

    private RequestLog() {
    }

    /**
     * @param requestId null when the record is no request
     * @param partition of the stream task, or of the record read; negative when there is none
     */
    static LoggingEventBuilder about(LoggingEventBuilder line, String requestId, int partition) {
        LoggingEventBuilder withId = requestId == null ? line : line.addKeyValue(REQUEST_ID, requestId);
        return partition < 0 ? withId : withId.addKeyValue(PARTITION, partition);
    }

    static LoggingEventBuilder ended(LoggingEventBuilder line, VerificationResult result, int partition) {
        return about(line, result.requestId(), partition).addKeyValue(OUTCOME, result.outcome());
    }
}
