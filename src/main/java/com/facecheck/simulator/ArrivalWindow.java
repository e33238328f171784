package com.facecheck.simulator;

import java.util.ArrayDeque;

/** The most calls seen in any one-second window, and the span of all calls: what a rate limit is judged by. */
final class ArrivalWindow {

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final ArrayDeque<Long> lastSecond = new ArrayDeque<>();
    private int max;
    private long count;
    private long first;
    private long last;

    synchronized void record(long nanos) {
        if (count == 0) {
            first = nanos;
        }
        count++;
        last = nanos;
        lastSecond.addLast(nanos);
        while (lastSecond.peekFirst() <= nanos - SECOND_NANOS) {
            lastSecond.pollFirst();
        }
        max = Math.max(max, lastSecond.size());
    }

    synchronized long count() {
        return count;
    }

    synchronized int maxInAnySecond() {
        return max;
    }

    /** Calls per second from the first call to the last; 0 before two calls. */
    synchronized double averageRate() {
        return count < 2 ? 0 : (count - 1) * (double) SECOND_NANOS / (last - first);
    }
}
