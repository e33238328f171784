package com.facecheck.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/** The provider's cap on checks of one name or one ID number in any 24 hours. */
final class DailyLimits {

    private static final long WINDOW_MILLIS = Duration.ofHours(24).toMillis();

    private final Clock clock;
    private final Map<String, ArrayDeque<Long>> calls = new HashMap<>();

    DailyLimits(Clock clock) {
        this.clock = clock;
    }

    /** Counts a check of {@code key} and says whether it is within {@code limit}; a limit ≤ 0 means none. */
    synchronized boolean admit(String key, int limit) {
        if (limit <= 0) {
            return true;
        }
        long now = clock.millis();
        ArrayDeque<Long> times = calls.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!times.isEmpty() && times.peekFirst() <= now - WINDOW_MILLIS) {
            times.pollFirst();
        }
        if (times.size() >= limit) {
            return false;
        }
        times.addLast(now);
        return true;
    }
}
