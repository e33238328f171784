package com.facecheck.topology;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests waiting for the name stage, with the wall-clock time at which they stop waiting. Only a claim or an
 * answer lost on the way (it failed in a processor and went to the poison dead letters) makes a request wait
 * that long; a rebalance or a restore of the name stage delays answers without losing them.
 */
final class ClaimDeadlines {

    private static final long CHECK_INTERVAL_MS = 1_000;

    private final Duration timeout;
    private final Map<String, Long> deadlines = new HashMap<>();
    private long nextCheck;

    ClaimDeadlines(Duration timeout) {
        this.timeout = timeout;
    }

    void clear() {
        deadlines.clear();
    }

    void waitFrom(String requestId, long now) {
        deadlines.put(requestId, now + timeout.toMillis());
    }

    void answered(String requestId) {
        deadlines.remove(requestId);
    }

    /** The requests whose wait ended by {@code now}, no longer tracked; looked for at most once a second. */
    List<String> expired(long now) {
        if (deadlines.isEmpty() || now < nextCheck) {
            return List.of();
        }
        nextCheck = now + CHECK_INTERVAL_MS;
        List<String> expired = deadlines.entrySet().stream().filter(e -> e.getValue() <= now)
                .map(Map.Entry::getKey).toList();
        expired.forEach(deadlines::remove);
        return expired;
    }

    IllegalStateException lost() {
        return new IllegalStateException("the name stage did not answer within " + timeout.toSeconds()
                + " s: the claim or its answer was lost");
    }
}
