package com.facecheck.topology;

import com.facecheck.contract.Outcome;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The names of every topic the worker and its operations tools read or write. Each result code maps to a topic;
 * several codes may share one. Dead letters that a replay gave up on are parked; every decision leaves an audit
 * record. The two name-exchange topics carry the per-name cap's reserve/release messages between the
 * worker's own stages (keyed hashes and request ids only, no personal data in clear); they need exactly as many
 * partitions as the request topic.
 */
public record TopicNames(
        @NotNull @Pattern(regexp = TopicNames.LEGAL_NAME, message = TopicNames.LEGAL_MESSAGE) String requests,
        @NotNull Map<Outcome, @Pattern(regexp = TopicNames.LEGAL_NAME, message = TopicNames.LEGAL_MESSAGE) String> results,
        @NotNull @Pattern(regexp = TopicNames.LEGAL_NAME, message = TopicNames.LEGAL_MESSAGE) String retryableDeadLetters,
        @NotNull @Pattern(regexp = TopicNames.LEGAL_NAME, message = TopicNames.LEGAL_MESSAGE) String poisonDeadLetters,
        @NotNull @Pattern(regexp = TopicNames.LEGAL_NAME, message = TopicNames.LEGAL_MESSAGE) String parkedDeadLetters,
        @NotNull @Pattern(regexp = TopicNames.LEGAL_NAME, message = TopicNames.LEGAL_MESSAGE) String audit,
        @NotNull @Pattern(regexp = TopicNames.LEGAL_NAME, message = TopicNames.LEGAL_MESSAGE) String nameClaims,
        @NotNull @Pattern(regexp = TopicNames.LEGAL_NAME, message = TopicNames.LEGAL_MESSAGE) String nameAnswers) {

    /** What Kafka takes as a topic name: '.' and '..' alone are refused. */
    static final String LEGAL_NAME = "(?!\\.{1,2}$)[a-zA-Z0-9._-]{1,249}";
    static final String LEGAL_MESSAGE = "must be a Kafka topic name: 1–249 letters, digits, '.', '_' or '-'";
    private static final java.util.regex.Pattern LEGAL = java.util.regex.Pattern.compile(LEGAL_NAME);

    private static final String DEFAULT_REQUESTS = "facecheck.requests";
    private static final String DEFAULT_RETRYABLE = "facecheck.dlq.retryable";
    private static final String DEFAULT_POISON = "facecheck.dlq.poison";
    private static final String DEFAULT_PARKED = "facecheck.dlq.parked";
    private static final String DEFAULT_AUDIT = "facecheck.audit";
    private static final String DEFAULT_NAME_CLAIMS = "facecheck.internal.name-claims";
    private static final String DEFAULT_NAME_ANSWERS = "facecheck.internal.name-answers";

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
        requireLegal("parked dead letters", parkedDeadLetters);
        requireLegal("the audit trail", audit);
        requireLegal("name claims", nameClaims);
        requireLegal("name answers", nameAnswers);
        complete.forEach((outcome, name) -> requireLegal("results of code " + outcome.code(), name));
        List<String> others = new ArrayList<>(outputs(results, retryableDeadLetters, poisonDeadLetters));
        others.add(requests);
        if (nameClaims.equals(nameAnswers) || others.contains(nameClaims) || others.contains(nameAnswers)) {
            throw new IllegalArgumentException("the name-exchange topics (" + nameClaims + ", " + nameAnswers
                    + ") must be two topics of their own, used for nothing else");
        }
        others.addAll(List.of(nameClaims, nameAnswers));
        if (others.contains(audit) || others.contains(parkedDeadLetters) || audit.equals(parkedDeadLetters)) {
            throw new IllegalArgumentException("the audit topic (" + audit + ") and the parked dead letters ("
                    + parkedDeadLetters + ") must each be a topic of their own: their readers and retention differ"
                    + " from every other topic's");
        }
        if (complete.containsValue(requests)) {
            throw new IllegalArgumentException("topic " + requests + " is both the request topic and a result topic;"
                    + " results would be read again as requests");
        }
    }

    /** Default parked dead letters, audit trail and name-exchange topics. */
    public TopicNames(String requests, Map<Outcome, String> results, String retryableDeadLetters,
                      String poisonDeadLetters) {
        this(requests, results, retryableDeadLetters, poisonDeadLetters, DEFAULT_PARKED, DEFAULT_AUDIT,
                DEFAULT_NAME_CLAIMS, DEFAULT_NAME_ANSWERS);
    }

    public static TopicNames defaults() {
        return new TopicNames(DEFAULT_REQUESTS, Map.of(), DEFAULT_RETRYABLE, DEFAULT_POISON);
    }

    /** Every topic behind {@code prefix}: the topics of one test or benchmark run, apart from every other's. */
    public TopicNames withPrefix(String prefix) {
        Map<Outcome, String> prefixed = new EnumMap<>(Outcome.class);
        results.forEach((outcome, topic) -> prefixed.put(outcome, prefix + topic));
        return new TopicNames(prefix + requests, prefixed, prefix + retryableDeadLetters, prefix + poisonDeadLetters,
                prefix + parkedDeadLetters, prefix + audit, prefix + nameClaims, prefix + nameAnswers);
    }

    /** The same topics, reading requests from {@code topic}. */
    public TopicNames withRequests(String topic) {
        return new TopicNames(topic, results, retryableDeadLetters, poisonDeadLetters, parkedDeadLetters, audit,
                nameClaims, nameAnswers);
    }

    public String resultTopic(Outcome outcome) {
        return results.get(outcome);
    }

    /**
     * Every distinct topic, input first, then the outputs, the parked dead letters, the audit trail and the name
     * exchange, in a stable order.
     */
    public List<String> all() {
        Set<String> names = new LinkedHashSet<>();
        names.add(requests);
        names.addAll(outputs());
        names.add(parkedDeadLetters);
        names.add(audit);
        names.addAll(exchange());
        return List.copyOf(names);
    }

    /** Every distinct topic a request can end on: result topics and dead-letter topics. */
    public List<String> outputs() {
        return outputs(results, retryableDeadLetters, poisonDeadLetters);
    }

    /** The worker's own exchange topics, which must have as many partitions as the request topic. */
    public List<String> exchange() {
        return List.of(nameClaims, nameAnswers);
    }

    /** Result topics in code order, then the dead letters; static, because the constructor checks them first. */
    private static List<String> outputs(Map<Outcome, String> results, String retryable, String poison) {
        Set<String> names = new LinkedHashSet<>();
        for (Outcome outcome : Outcome.values()) {
            names.add(results.get(outcome));
        }
        names.add(retryable);
        names.add(poison);
        return List.copyOf(names);
    }

    private static void requireLegal(String role, String name) {
        if (name == null || !LEGAL.matcher(name).matches()) {
            throw new IllegalArgumentException("the topic for " + role + " is '" + name + "': it " + LEGAL_MESSAGE);
        }
    }
}
