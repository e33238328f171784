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
 * An exact sliding-window cap, as the provider counts: at most {@code cap} reservations of one key in any window
 * of {@code window} of the worker's wall-clock time (half-open). Reservations are counted when they are made,
 * never at a time a producer chose, so a backlog or a replay of old requests cannot pass the provider's limit.
 *
 * <p>Each reservation is one entry of a window store, keyed by the key's hash and the request id, so a
 * reservation can be given back on its own; the store drops old segments by itself. The clocks of the instances
 * differ a little, so the check looks at every window around the new reservation, later ones included.
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

    /** Reserves a place for the request at {@code now} if every window holding it stays within the cap. */
    boolean reserve(String key, String requestId, long now) {
        if (!admits(key, now)) {
            return false;
        }
        store.put(key + SEPARATOR + requestId, requestId, now);
        return true;
    }

    private boolean admits(String key, long at) {
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

    /**
     * Gives back the request's place, wherever in the retention it was counted; giving back a place that is not
     * there changes nothing, so a give-back that may or may not follow a grant is safe.
     */
    void release(String key, String requestId, long now) {
        String entry = key + SEPARATOR + requestId;
        List<Long> times = new ArrayList<>();
        try (var places = store.fetch(entry, now - 2 * window, now + window)) {
            places.forEachRemaining(place -> times.add(place.key));
        }
        times.forEach(at -> store.put(entry, null, at));
    }
}
