package com.facecheck.ops;

import java.time.Instant;

/**
 * How many dead letters of one kind, and when the oldest and the newest of them failed: what an on-call engineer
 * weighs before a replay (an outage's first and last failure, a bug's first appearance).
 *
 * @param oldest null while the count is 0
 * @param newest null while the count is 0
 */
public record Tally(long count, Instant oldest, Instant newest) {

    public static final Tally NONE = new Tally(0, null, null);

    /** This tally with one more dead letter that failed at {@code failedAt}. */
    public Tally plus(Instant failedAt) {
        return new Tally(count + 1, oldest == null || failedAt.isBefore(oldest) ? failedAt : oldest,
                newest == null || failedAt.isAfter(newest) ? failedAt : newest);
    }

    /** {@code 480, oldest 2026-11-30T02:00:01Z, newest 2026-11-30T02:03:10Z}; {@code 0} alone for none. */
    @Override
    public String toString() {
        return count == 0 ? "0" : count + ", oldest " + oldest + ", newest " + newest;
    }
}
