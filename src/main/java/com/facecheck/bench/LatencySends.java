package com.facecheck.bench;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one latency run sent: when each measured request left, and which of them came after another of the same
 * person's (the worker serves a person's requests in turn). Written by the pacing thread, read once it has ended.
 */
final class LatencySends {

    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Set<String> laterOfPerson = ConcurrentHashMap.newKeySet();
    private final Set<Long> persons = ConcurrentHashMap.newKeySet();
    /** A request sent while warming up and again later is not timed from its second send. */
    private final Set<String> warmUp = ConcurrentHashMap.newKeySet();

    void warmingUp(String requestId, long person) {
        persons.add(person);
        warmUp.add(requestId);
    }

    void measured(String requestId, long person, long sentAtMillis) {
        boolean newPerson = persons.add(person);
        if (!warmUp.contains(requestId) && sentAt.putIfAbsent(requestId, sentAtMillis) == null && !newPerson) {
            laterOfPerson.add(requestId);
        }
    }

    /** When each measured request was first sent, by request id. */
    Map<String, Long> sentAt() {
        return sentAt;
    }

    boolean isLaterOfPerson(String requestId) {
        return laterOfPerson.contains(requestId);
    }
}
