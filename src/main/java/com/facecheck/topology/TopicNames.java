package com.facecheck.topology;

import com.facecheck.contract.Outcome;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names of every topic the worker reads or writes. Each result code maps to a topic; several codes may
 * share one.
 */
public record TopicNames(String requests, Map<Outcome, String> results, String retryableDeadLetters,
                         String poisonDeadLetters) {

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public static final String DEFAULT_REQUESTS = "facecheck.requests";
    public static final String DEFAULT_RETRYABLE = "facecheck.dlq.retryable";
    public static final String DEFAULT_POISON = "facecheck.dlq.poison";

    public TopicNames {
        Objects.requireNonNull(results, "results");
        EnumMap<Outcome, String> complete = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            String name = results.get(outcome);
            complete.put(outcome, name == null ? outcome.defaultTopic() : name);
        }
        results = Map.copyOf(complete);
        requireLegal("requests", requests);
        requireLegal("retryable dead letters", retryableDeadLetters);
        requireLegal("poison dead letters", poisonDeadLetters);
        complete.forEach((outcome, name) -> requireLegal("results of code " + outcome.code(), name));
        if (complete.containsValue(requests)) {
            throw new IllegalArgumentException("topic " + requests + " is both the request topic and a result topic;"
                    + " results would be read again as requests");
        }
    }

    public static TopicNames defaults() {
        return new TopicNames(DEFAULT_REQUESTS, Map.of(), DEFAULT_RETRYABLE, DEFAULT_POISON);
    }

    public String resultTopic(Outcome outcome) {
        return results.get(outcome);
    }

    /** Every distinct topic, input first, in a stable order. */
    public List<String> all() {
        Set<String> names = new LinkedHashSet<>();
        names.add(requests);
        for (Outcome outcome : Outcome.values()) {
            names.add(results.get(outcome));
        }
        names.add(retryableDeadLetters);
        names.add(poisonDeadLetters);
        return List.copyOf(names);
    }

    /** Every distinct topic a request can end on: result topics and dead-letter topics. */
    public List<String> outputs() {
        return all().subList(1, all().size());
    }

    private static void requireLegal(String role, String name) {
        if (name == null || !LEGAL.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("the topic for " + role + " is '" + name + "': a Kafka topic name is"
                    + " 1–249 characters of letters, digits, '.', '_' and '-'");
        }
    }
}
