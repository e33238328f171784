package com.facecheck.topology;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Each person's requests not yet answered, in arrival order; the first is the one being served. Only request ids
 * are held in memory: the requests themselves stay in the pending store, on disk.
 */
final class PersonTurns {

    /** What a restored task needs to know of a pending request to rebuild the turns and the calls. */
    record Restored(long seq, String personKey, String requestId, Pending.Stage stage, long dueAt) {
    }

    private final Map<String, Deque<String>> queues = new HashMap<>();

    void clear() {
        queues.clear();
    }

    /** Adds the request behind the person's earlier ones; true when it is the person's first, to be served now. */
    boolean join(String personKey, String requestId) {
        Deque<String> queue = queues.computeIfAbsent(personKey, k -> new ArrayDeque<>());
        queue.addLast(requestId);
        return queue.size() == 1;
    }

    /** The request being served for the person, or null when none is waiting. */
    String first(String personKey) {
        Deque<String> queue = queues.get(personKey);
        return queue == null ? null : queue.peekFirst();
    }

    void leave(String personKey, String requestId) {
        Deque<String> queue = queues.get(personKey);
        if (queue != null) {
            queue.remove(requestId);
            if (queue.isEmpty()) {
                queues.remove(personKey);
            }
        }
    }

    /**
     * Rebuilds the turns from the pending store, in arrival order, and returns what was pending in that order,
     * without the requests themselves.
     */
    List<Restored> restore(KeyValueStore<String, Pending> pending) {
        List<Restored> restored = new ArrayList<>();
        try (var entries = pending.all()) {
            entries.forEachRemaining(entry -> restored.add(new Restored(entry.value.seq(), entry.value.personKey(),
                    entry.key, entry.value.stage(), entry.value.dueAt())));
        }
        restored.sort(Comparator.comparingLong(Restored::seq));
        restored.forEach(r -> join(r.personKey(), r.requestId()));
        return restored;
    }

    List<String> persons() {
        return List.copyOf(queues.keySet());
    }
}
