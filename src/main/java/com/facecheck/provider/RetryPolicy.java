package com.facecheck.provider;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * When a failed call is tried again: exponential backoff with jitter, a bounded number of attempts, and a
 * deadline per request after which no new attempt starts.
 *
 * @param maxAttempts calls per request at most, the first included
 * @param deadline    from the start of the request's first attempt; no attempt starts after it. Time spent
 *                    waiting before that (an outage, the daily budget) does not count.
 */
public record RetryPolicy(
        @Min(1) int maxAttempts,
        @NotNull @DurationMin(millis = 0, message = "must not be negative") Duration firstBackoff,
        @NotNull Duration maxBackoff,
        @NotNull @DurationMin(millis = 1, message = "must be at least 1ms") Duration deadline) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max-attempts must be at least 1, not " + maxAttempts);
        }
        if (firstBackoff.isNegative() || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("first-backoff must not be negative and the deadline must be positive");
        }
        if (maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("max-backoff (" + maxBackoff + ") must be at least first-backoff ("
                    + firstBackoff + ")");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5));
    }

    /** Whether another attempt may follow {@code attemptsMade} failed ones, the first of which started at {@code firstAttemptAt}. */
    public boolean allowsAnother(int attemptsMade, long firstAttemptAt, long nowMillis, long backoffMillis) {
        return attemptsMade < maxAttempts && nowMillis + backoffMillis <= firstAttemptAt + deadline.toMillis();
    }

    /**
     * The wait before attempt {@code attemptsMade + 1}: doubling from the first backoff, capped, and drawn
     * between half and all of it so that many requests failing together do not come back together.
     */
    public long backoffMillis(int attemptsMade) {
        long ceiling = firstBackoff.toMillis() << Math.min(20, Math.max(0, attemptsMade - 1));
        long capped = Math.min(maxBackoff.toMillis(), ceiling);
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }
}
