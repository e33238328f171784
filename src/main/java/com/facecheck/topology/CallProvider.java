package com.facecheck.topology;

import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.CallPermits;
import com.facecheck.provider.ProviderCircuit;
import com.facecheck.provider.ProviderAnswer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the provider without blocking the stream thread, and without losing a call to a crash.
 *
 * <p>Calls start when the task's permits allow (rate share, in-flight cap) and the provider is available;
 * failures worth retrying are tried again after a backoff, their due time kept in the store with the call.
 *
 * <p>A request is written to the changelogged pending-calls store before its call starts. Answers arrive
 * on an HTTP thread and only join a queue; the stream thread takes them off the queue (on each record and
 * on a wall-clock punctuation), writes the result and deletes the store entry in one transaction. A commit
 * therefore never waits for a call. After a crash or rebalance the task's new owner restores the store and
 * calls again for every entry in it: those repeated calls are the only extra calls the design allows.
 */
final class CallProvider implements Processor<String, VerificationRequest, String, Object> {

    static final String STORE = "facecheck-pending-calls";

    private static final Logger LOG = LoggerFactory.getLogger(CallProvider.class);

    /** An answer, waiting for the stream thread. */
    private record Completion(String requestId, ProviderAnswer answer) {
    }

    /** A call waiting for its next attempt. */
    private record Scheduled(long dueAt, String requestId) {
    }

    private final CallSetup setup;
    private final CallPermits permits;
    private final Clock clock;
    private final Duration drainInterval;
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    /** Stored calls ready to start, oldest first: they wait for a permit or for the provider to be available. */
    private final Deque<String> waiting = new ArrayDeque<>();
    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>(Comparator.comparingLong(Scheduled::dueAt));
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, PendingCall> pending;

    CallProvider(CallSetup setup, Clock clock, Duration drainInterval) {
        this.setup = setup;
        this.permits = setup.permits().get();
        this.clock = clock;
        this.drainInterval = drainInterval;
    }

    static StoreBuilder<KeyValueStore<String, PendingCall>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                new JsonSerde<>(PendingCall.class));
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.pending = context.getStateStore(STORE);
        // A revived task is initialised again: what was waiting is rebuilt from the restored store.
        waiting.clear();
        scheduled.clear();
        context.schedule(drainInterval, PunctuationType.WALL_CLOCK_TIME, now -> {
            drainCompletions();
            dispatch();
        });
        resumeRestoredCalls();
    }

    @Override
    public void process(Record<String, VerificationRequest> record) {
        VerificationRequest request = record.value();
        if (pending.get(request.requestId()) != null) {
            LOG.info("request {} is already being called for; the copy is dropped", request.requestId());
        } else {
            var source = context.recordMetadata();
            PendingCall call = new PendingCall(request, source.map(m -> m.topic()).orElse(null),
                    source.map(m -> m.partition()).orElse(-1), source.map(m -> m.offset()).orElse(-1L),
                    record.timestamp(), DeadLetters.replayCount(record.headers()), 0, clock.millis(), 0);
            pending.put(request.requestId(), call);
            waiting.addLast(request.requestId());
        }
        drainCompletions();
        dispatch();
    }

    private void resumeRestoredCalls() {
        int resumed = 0;
        try (var entries = pending.all()) {
            while (entries.hasNext()) {
                var entry = entries.next();
                schedule(entry.key, entry.value.dueAt());
                resumed++;
            }
        }
        if (resumed > 0) {
            LOG.info("task {} resumed {} provider calls that were pending when it last stopped",
                    context.taskId(), resumed);
        }
    }

    private void schedule(String requestId, long dueAt) {
        if (dueAt <= clock.millis()) {
            waiting.addLast(requestId);
        } else {
            scheduled.add(new Scheduled(dueAt, requestId));
        }
    }

    /**
     * Starts waiting calls, oldest first, while the provider is available and the permits allow. While it is
     * unavailable and the worker is set to dead-letter then, waiting requests fail at once, except the one
     * that goes as the probe.
     */
    private void dispatch() {
        long now = clock.millis();
        ProviderCircuit circuit = setup.circuit();
        while (!scheduled.isEmpty() && scheduled.peek().dueAt() <= now) {
            waiting.addLast(scheduled.poll().requestId());
        }
        while (!waiting.isEmpty()) {
            if (setup.onUnavailable() == CallSetup.OnUnavailable.DEAD_LETTER && circuit.isOpen() && !circuit.probeDue(now)) {
                failWithoutCall(waiting.pollFirst(), circuit.reason(), now);
                continue;
            }
            // The permit first: asking the circuit takes the probe, which must then really be sent.
            if (!permits.tryAcquire()) {
                return;
            }
            if (!circuit.allowsCall(now)) {
                permits.release();
                return;
            }
            PendingCall call = pending.get(waiting.pollFirst());
            if (call == null) {
                permits.release();
                continue;
            }
            startCall(call);
        }
    }

    private void failWithoutCall(String requestId, String reason, long now) {
        PendingCall call = pending.get(requestId);
        if (call != null) {
            writeResult(call, new ProviderAnswer.ProviderUnavailable(reason, null), call.attemptsMade(),
                    Instant.ofEpochMilli(now));
            pending.delete(requestId);
        }
    }

    private void startCall(PendingCall call) {
        String requestId = call.request().requestId();
        setup.provider().verify(call.request()).whenComplete((answer, failure) -> {
            permits.release();
            completions.add(new Completion(requestId, answer != null ? answer
                    : new ProviderAnswer.TransientFailure("the provider client failed: "
                            + failure.getClass().getSimpleName(), null)));
        });
    }

    private void drainCompletions() {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            finish(completion);
        }
    }

    private void finish(Completion completion) {
        String requestId = completion.requestId();
        PendingCall call = pending.get(requestId);
        ProviderAnswer answer = completion.answer();
        long now = clock.millis();
        setup.circuit().record(answer, now);
        setup.meters().counter("facecheck.provider.answers", "kind", answer.getClass().getSimpleName(),
                "billed", Boolean.toString(answer instanceof ProviderAnswer.Verdict v && v.billed())).increment();
        if (call == null) {
            return; // already finished by an earlier answer to the same request
        }
        if (answer instanceof ProviderAnswer.ProviderUnavailable && setup.onUnavailable() == CallSetup.OnUnavailable.PAUSE) {
            waiting.addFirst(requestId); // not an attempt: the call was refused before the provider saw it
            return;
        }
        if (answer instanceof ProviderAnswer.TransientFailure || answer instanceof ProviderAnswer.Throttled) {
            long backoff = setup.retry().backoffMillis(call.attemptsMade() + 1);
            if (setup.retry().allowsAnother(call.attemptsMade() + 1, call.takenAt(), now, backoff)) {
                PendingCall retry = call.retryAt(now + backoff);
                pending.put(requestId, retry);
                schedule(requestId, retry.dueAt());
                return;
            }
        }
        writeResult(call, answer, call.attemptsMade() + 1, Instant.ofEpochMilli(now));
        pending.delete(requestId);
    }

    /** @param attempts calls made for the request, this one included */
    private void writeResult(PendingCall call, ProviderAnswer answer, int attempts, Instant now) {
        VerificationResult result = Results.fromAnswer(call.request(), answer, attempts,
                Instant.ofEpochMilli(call.receivedAt()), now);
        context.forward(new Record<String, Object>(result.requestId(), result, call.receivedAt()),
                FacecheckTopology.RESULTS);
        if (Results.isRetryableFailure(answer)) {
            LOG.warn("request {} failed after {} attempt(s) and goes to the retryable dead letters: {}",
                    result.requestId(), attempts, result.message());
            context.forward(new Record<String, Object>(result.requestId(), call.request(), call.receivedAt(),
                    DeadLetters.headers(call, attempts, result.reason(), result.message(), now)),
                    FacecheckTopology.RETRYABLE);
        }
    }
}
