package com.facecheck.topology;

import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.CallPermits;
import com.facecheck.provider.Provider;
import com.facecheck.provider.ProviderAnswer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
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

    private final Provider provider;
    private final CallPermits permits;
    private final Clock clock;
    private final Duration drainInterval;
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    /** Stored calls not started yet, oldest first: they wait for a permit (rate or in-flight limit). */
    private final Deque<String> waiting = new ArrayDeque<>();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, PendingCall> pending;

    CallProvider(Provider provider, CallPermits permits, Clock clock, Duration drainInterval) {
        this.provider = provider;
        this.permits = permits;
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
                    record.timestamp(), DeadLetters.replayCount(record.headers()), 1);
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
                waiting.addLast(entries.next().key);
                resumed++;
            }
        }
        if (resumed > 0) {
            LOG.info("task {} resumed {} provider calls that were in flight when it last stopped",
                    context.taskId(), resumed);
        }
    }

    /** Starts waiting calls, oldest first, while the permits allow. */
    private void dispatch() {
        while (!waiting.isEmpty() && permits.tryAcquire()) {
            PendingCall call = pending.get(waiting.pollFirst());
            if (call == null) {
                permits.release();
                continue;
            }
            startCall(call);
        }
    }

    private void startCall(PendingCall call) {
        String requestId = call.request().requestId();
        provider.verify(call.request()).whenComplete((answer, failure) -> {
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
        PendingCall call = pending.get(completion.requestId());
        if (call == null) {
            return; // already finished by an earlier answer to the same request
        }
        Instant now = clock.instant();
        ProviderAnswer answer = completion.answer();
        VerificationResult result = Results.fromAnswer(call.request(), answer, call.attempts(),
                Instant.ofEpochMilli(call.receivedAt()), now);
        context.forward(new Record<String, Object>(result.requestId(), result, call.receivedAt()),
                FacecheckTopology.RESULTS);
        if (Results.isRetryableFailure(answer)) {
            LOG.warn("request {} failed at the provider and goes to the retryable dead letters: {}",
                    result.requestId(), result.message());
            context.forward(new Record<String, Object>(result.requestId(), call.request(), call.receivedAt(),
                    DeadLetters.headers(call, result.reason(), result.message(), now)), FacecheckTopology.RETRYABLE);
        }
        pending.delete(completion.requestId());
    }
}
