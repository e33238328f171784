package com.facecheck.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * An exact sliding-window cap: at most {@code cap} reservations of one key in any window of {@code window}
 * (record time, half-open), whatever order the record times arrive in.
 *
 * <p>Each reservation is one entry of a window store, keyed by the key's hash and the request id, so a
 * reservation can be given back on its own; the store drops old segments by itself. A reservation whose time is
 * more than a window older than the task's stream time is counted at (stream time − window): the store keeps
 * two windows, which then still hold every reservation it could share a window with.
 */
final class CapLedger {

    private static final char SEPARATOR = '/';

    private final WindowStore<String, String> store;
    private final long window;
    private final int cap;

    CapLedger(WindowStore<String, String> store, Duration window, int cap) {
        this.store = store;
        this.window = window.toMillis();
        this.cap = cap;
    }

    static StoreBuilder<WindowStore<String, String>> storeBuilder(String name, Duration window) {
        Duration retention = window.multipliedBy(2).plus(Duration.ofHours(1));
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, retention, window, false),
                Serdes.String(), Serdes.String());
    }

    /** The time a reservation at record time {@code recordTime} is counted at. */
    long countedAt(long recordTime, long streamTime) {
        return Math.max(recordTime, streamTime - window);
    }

    /** Whether one more reservation at {@code at} leaves every window holding it within the cap. */
    boolean admits(String key, long at) {
        List<Long> times = new ArrayList<>();
        times.add(at);
        try (var entries = store.fetch(key + SEPARATOR, key + (char) (SEPARATOR + 1), at - window + 1,
                at + window - 1)) {
            entries.forEachRemaining(entry -> times.add(entry.key.window().start()));
        }
        Collections.sort(times);
        // The fullest window around `at` can be taken to start at one of its reservations.
        int fullest = 0;
        for (int first = 0; first < times.size() && times.get(first) <= at; first++) {
            if (times.get(first) <= at - window) {
                continue;
            }
            int last = first;
            while (last + 1 < times.size() && times.get(last + 1) < times.get(first) + window) {
                last++;
            }
            fullest = Math.max(fullest, last - first + 1);
        }
        return fullest <= cap;
    }

    void reserve(String key, String requestId, long at) {
        store.put(key + SEPARATOR + requestId, requestId, at);
    }

    void release(String key, String requestId, long at) {
        store.put(key + SEPARATOR + requestId, null, at);
    }
}
