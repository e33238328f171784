package com.facecheck.ops;

import java.time.Instant;
import java.util.Set;

/**
 * Which dead letters a replay takes; an empty set or a null bound does not filter.
 *
 * @param reasonCodes by their {@code facecheck.dlq.reason-code}
 * @param since       failed at or after this
 * @param until       failed before this
 * @param requestIds  retryable dead letters by their request id; a poison one has none readable and never matches
 */
public record ReplayFilter(Set<String> reasonCodes, Instant since, Instant until, Set<String> requestIds) {

    public static final ReplayFilter NONE = new ReplayFilter(Set.of(), null, null, Set.of());

    public ReplayFilter {
        reasonCodes = Set.copyOf(reasonCodes);
        requestIds = Set.copyOf(requestIds);
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("the time range is empty: " + since + " is not before " + until);
        }
    }

    public boolean matches(DeadLetter letter) {
        return (reasonCodes.isEmpty() || reasonCodes.contains(letter.reasonCode()))
                && (since == null || !letter.failedAt().isBefore(since))
                && (until == null || letter.failedAt().isBefore(until))
                && (requestIds.isEmpty() || letter.requestId() != null && requestIds.contains(letter.requestId()));
    }
}
