package com.facecheck.chaos;

import com.facecheck.contract.Json;
import com.facecheck.contract.VerificationResult;
import com.facecheck.ops.OutputReader;
import com.facecheck.topology.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What the worker committed to the result and dead-letter topics, read {@code read_committed} from the start and
 * parsed once as it arrives: a scenario of thousands of requests polls it many times.
 */
final class Outputs implements AutoCloseable {

    private final TopicNames names;
    private final Set<String> resultTopics;
    private final OutputReader reader;
    private final Map<String, List<VerificationResult>> results = new HashMap<>();
    private final List<VerificationResult> inOrder = new ArrayList<>();
    private final Map<String, Integer> retryableDeadLetters = new HashMap<>();
    private int poisonCount;

    Outputs(String bootstrap, TopicNames names) {
        this.names = names;
        this.resultTopics = Set.copyOf(names.results().values());
        this.reader = new OutputReader(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), names.outputs(),
                true);
    }

    /** Reads for up to {@code wait}. */
    void poll(Duration wait) {
        reader.poll(wait).forEach(this::take);
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        if (resultTopics.contains(record.topic())) {
            VerificationResult result = parse(record.value());
            results.computeIfAbsent(result.requestId(), id -> new ArrayList<>()).add(result);
            inOrder.add(result);
        } else if (record.topic().equals(names.retryableDeadLetters())) {
            retryableDeadLetters.merge(record.key(), 1, Integer::sum);
        } else if (record.topic().equals(names.poisonDeadLetters())) {
            poisonCount++;
        }
    }

    /** Polls until {@code done} holds, then reads every partition to its end; fails saying what came. */
    void awaitUntil(Predicate<Outputs> done, Duration within, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.test(this) && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
        }
        if (!done.test(this)) {
            throw new AssertionError(what + " did not happen within " + within + ": " + inOrder.size() + " results for "
                    + results.size() + " requests, " + retryableDeadLetters.size() + " retryable dead letters");
        }
        catchUp();
    }

    /**
     * Waits until every request of {@code sent} has a result, then a second more, in which a late or repeated result
     * would arrive, and reads everything to its end.
     */
    void awaitEvery(List<ChaosRequests.Sent> sent, Duration within) throws InterruptedException {
        awaitUntil(o -> sent.stream().allMatch(s -> o.results.containsKey(s.requestId())), within, "every request");
        Thread.sleep(1_000);
        catchUp();
    }

    /**
     * Reads every partition to where it ends now. Records written in one transaction (a result and its dead letter)
     * become visible together but may be fetched apart.
     */
    void catchUp() {
        Map<TopicPartition, Long> ends = reader.ends();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!reader.reached(ends) && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(100));
        }
    }

    /** How many results are committed by now: everything written up to this moment, read. */
    int committedNow() {
        catchUp();
        return inOrder.size();
    }

    /** Waits until a result beyond the first {@code count} is committed: the worker makes progress again. */
    void awaitProgressBeyond(int count, Duration within) {
        awaitUntil(o -> o.resultCount() > count, within, "a result after the first " + count);
    }

    /** The results of the request, in the order written. */
    List<VerificationResult> resultsOf(String requestId) {
        return results.getOrDefault(requestId, List.of());
    }

    /** Request ids that have at least one result. */
    Set<String> decided() {
        return results.keySet();
    }

    int resultCount() {
        return inOrder.size();
    }

    /** The results read after the first {@code from}, in the order read. */
    List<VerificationResult> resultsFrom(int from) {
        return List.copyOf(inOrder.subList(from, inOrder.size()));
    }

    /** Retryable dead letters written for the request. */
    int retryableDeadLettersOf(String requestId) {
        return retryableDeadLetters.getOrDefault(requestId, 0);
    }

    /** Request ids of the retryable dead letters read. */
    Set<String> deadLettered() {
        return retryableDeadLetters.keySet();
    }

    int poisonCount() {
        return poisonCount;
    }

    private static VerificationResult parse(byte[] value) {
        try {
            return Json.MAPPER.readValue(value, VerificationResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a result topic holds a record that is not a result", e);
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
