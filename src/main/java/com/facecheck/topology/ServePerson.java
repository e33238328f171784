package com.facecheck.topology;

import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.identity.Masking;
import com.facecheck.provider.Billing;
import com.facecheck.provider.ProviderAnswer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves each person's requests one at a time, in input order, on the partition of the person: the per-ID cap,
 * the per-name claim, the provider call, the result. One at a time is what keeps a person's results in order and
 * the per-ID cap exact; different people are served concurrently.
 *
 * <p>Every request not yet answered is in the changelogged pending store (its photo in a store of its own, so
 * that changes of state do not write the photo again). Answers arrive on an HTTP thread and only join a queue;
 * the stream thread takes them off (on each record and on a wall-clock punctuation), writes the result, and
 * deletes the request and its photo in the same transaction. A commit never waits for a call. After a crash or
 * rebalance the task's new owner restores the stores and calls again for every request that was admitted:
 * those repeated calls are the only extra calls the design allows.
 */
final class ServePerson implements Processor<String, Object, String, Object>, CallQueue.Owner {

    static final String PENDING = "facecheck-pending-requests";
    static final String PHOTOS = "facecheck-pending-photos";
    static final String ID_RESERVATIONS = "facecheck-id-reservations";

    private static final Logger LOG = LoggerFactory.getLogger(ServePerson.class);
    private static final long CLAIM_CHECK_INTERVAL_MS = 1_000;

    private final Admission admission;
    private final CallSetup setup;
    private final Results results;
    private final Clock clock;
    private final Duration drainInterval;
    private final CallQueue calls;
    private final Counter idCapRefusals;
    private final Timer inputWaits;
    private final Counter processingFailures;
    /** Each person's requests not yet answered, in order; the first is the one being served. */
    private final Map<String, Deque<String>> turns = new HashMap<>();
    /** Requests admitted before this task was restored: the previous owner may already have called for them. */
    private final Set<String> restoredAdmitted = new HashSet<>();
    /** Requests waiting for the name stage, with the wall-clock time (epoch ms) at which they stop waiting. */
    private final Map<String, Long> claimDeadlines = new HashMap<>();
    private long nextClaimCheck;
    private final Counter possiblyRepeated;
    /** One counter per kind of answer and billing, looked up once rather than on every answer. */
    private final Map<String, Counter> answerCounters = new HashMap<>();
    private long nextSeq;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Pending> pending;
    private KeyValueStore<String, String> photos;
    private CapLedger idCap;
    private DailyCalls budget;

    ServePerson(Admission admission, CallSetup setup, Results results, Clock clock, Duration drainInterval) {
        this.admission = admission;
        this.setup = setup;
        this.results = results;
        this.clock = clock;
        this.drainInterval = drainInterval;
        this.calls = new CallQueue(setup, clock);
        this.idCapRefusals = Counter.builder("facecheck.caps.refused").tag("cap", "per-id")
                .description("requests refused without a call because a cap was reached").register(setup.meters());
        this.possiblyRepeated = Counter.builder("facecheck.calls.resumed")
                .description("calls started for requests admitted before the task was restored: each may repeat a"
                        + " call the previous owner made").register(setup.meters());
        this.processingFailures = Counter.builder(FailedRecords.METER).tag("processor", FacecheckTopology.SERVE)
                .tag("exception", "request-quarantined")
                .description("records that failed in a processor or could not be written, and went on without it")
                .register(setup.meters());
        this.inputWaits = Timer.builder("facecheck.backpressure.wait")
                .description("time a task waited before taking a request because too many calls were outstanding")
                .register(setup.meters());
    }

    static List<StoreBuilder<?>> storeBuilders(Admission admission) {
        return List.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING), Serdes.String(),
                        new JsonSerde<>(Pending.class)).withCachingEnabled(),
                // A photo put and deleted within one commit interval never reaches the changelog.
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PHOTOS), Serdes.String(), Serdes.String())
                        .withCachingEnabled(),
                CapLedger.storeBuilder(ID_RESERVATIONS, admission.capWindow()),
                DailyCalls.storeBuilder());
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.pending = context.getStateStore(PENDING);
        this.photos = context.getStateStore(PHOTOS);
        WindowStore<String, String> reservations = context.getStateStore(ID_RESERVATIONS);
        this.idCap = new CapLedger(reservations, admission.capWindow(), admission.perId());
        this.budget = new DailyCalls(context.getStateStore(DailyCalls.STORE), DailyCalls.share(
                setup.budget().dailyCalls(), setup.budget().partitions(), context.taskId().partition()));
        // A revived task is initialised again: what was in memory is rebuilt from the restored stores.
        calls.clear();
        turns.clear();
        restoredAdmitted.clear();
        claimDeadlines.clear();
        context.schedule(drainInterval, PunctuationType.WALL_CLOCK_TIME, now -> drainAndDispatch());
        resume();
    }

    @Override
    public void process(Record<String, Object> record) {
        Object value = InternalRecords.required(record, "request or name answer");
        if (value instanceof CheckedRequest checked) {
            waitForRoom();
            take(checked);
        } else if (value instanceof NameAnswer answer) {
            answered(answer);
        } else {
            throw new IllegalArgumentException("unexpected record " + value.getClass().getSimpleName());
        }
        drainAndDispatch();
    }

    private void resume() {
        List<Pending> restored = new ArrayList<>();
        try (var entries = pending.all()) {
            entries.forEachRemaining(entry -> restored.add(entry.value));
        }
        restored.sort(Comparator.comparingLong(Pending::seq));
        int resumedCalls = 0;
        for (Pending p : restored) {
            turns.computeIfAbsent(p.personKey(), k -> new ArrayDeque<>()).addLast(p.requestId());
            nextSeq = p.seq() + 1;
            if (p.stage() == Pending.Stage.CALLING) {
                calls.schedule(p.requestId(), p.dueAt());
                resumedCalls++;
            }
            if (p.stage() != Pending.Stage.QUEUED) {
                restoredAdmitted.add(p.requestId());
            }
            if (p.stage() == Pending.Stage.CLAIMING_NAME) {
                // The wait starts again: an answer written before the restore is still on its way.
                claimDeadlines.put(p.requestId(), clock.millis() + admission.claimTimeout().toMillis());
            }
        }
        List.copyOf(turns.keySet()).forEach(this::serveNext);
        if (!restored.isEmpty()) {
            LOG.info("task {} resumed {} requests that were pending when it last stopped, {} of them to be called",
                    context.taskId(), restored.size(), resumedCalls);
        }
    }

    /** Back-pressure: while too many calls are outstanding, wait (bounded) for answers before taking more. */
    private void waitForRoom() {
        var backpressure = setup.backpressure();
        if (calls.outstanding() < backpressure.highWater()) {
            return;
        }
        long start = System.nanoTime();
        long deadline = start + backpressure.maxWait().toNanos();
        try {
            while (calls.outstanding() >= backpressure.highWater() && System.nanoTime() < deadline) {
                calls.drainWaiting(Math.min(drainInterval.toMillis(),
                        Math.max(1, (deadline - System.nanoTime()) / 1_000_000)), this::finishCall);
                calls.dispatch(this);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inputWaits.record(Duration.ofNanos(System.nanoTime() - start));
    }

    private void take(CheckedRequest checked) {
        String requestId = checked.requestId();
        if (pending.get(requestId) != null) {
            // Only possible beyond the dedup window (e.g. a request waiting out a long provider outage).
            LOG.warn("request {} arrived again while it is still pending; the copy is dropped", requestId);
            setup.meters().counter(DropDuplicates.METER).increment();
            return;
        }
        Deque<String> queue = turns.computeIfAbsent(checked.personKey(), k -> new ArrayDeque<>());
        try {
            pending.put(requestId, Pending.queued(checked, nextSeq++, clock.millis()));
            if (checked.request().image() != null) {
                photos.put(requestId, checked.request().image());
            }
            queue.addLast(requestId);
        } catch (RuntimeException e) {
            // Not taken whole: no trace of it may stay behind, and the record's failure ends it (FailedRecords).
            queue.remove(requestId);
            pending.delete(requestId);
            photos.delete(requestId);
            throw e;
        }
        if (queue.size() == 1) {
            serveNext(checked.personKey());
        }
    }

    /** Serves the person's first request, answering at once every one the check rejected or the ID cap refuses. */
    private void serveNext(String personKey) {
        Deque<String> queue = turns.get(personKey);
        while (queue != null && !queue.isEmpty()) {
            String requestId = queue.peekFirst();
            try {
                if (!serve(personKey, pending.get(requestId))) {
                    return;
                }
            } catch (RuntimeException e) {
                quarantine(requestId, e);
                return; // quarantine serves the person's next request
            }
        }
    }

    /** Whether the request was answered at once, so that the person's next one can be served. */
    private boolean serve(String personKey, Pending next) {
        if (next.stage() != Pending.Stage.QUEUED) {
            return false; // already being served
        }
        CheckedRequest checked = next.checked();
        if (checked.rejection() != null) {
            emit(checked.rejection());
            end(next);
            return true;
        }
        long at = idCap.countedAt(checked.receivedAt(), context.currentStreamTimeMs());
        if (!idCap.admits(personKey, at)) {
            idCapRefusals.increment();
            emit(results.capped(checked.request(), Results.CAP_PER_ID, Instant.ofEpochMilli(checked.receivedAt()),
                    clock.instant()));
            end(next);
            return true;
        }
        idCap.reserve(personKey, next.requestId(), at);
        pending.put(next.requestId(), next.claimingName(at));
        claimDeadlines.put(next.requestId(), clock.millis() + admission.claimTimeout().toMillis());
        context.forward(new Record<>(checked.nameKey(), new NameClaim(NameClaim.Kind.RESERVE, next.requestId(),
                personKey, checked.nameKey(), checked.receivedAt()), checked.receivedAt()));
        return false;
    }

    private void answered(NameAnswer answer) {
        Pending claiming = pending.get(answer.requestId());
        if (claiming == null || claiming.stage() != Pending.Stage.CLAIMING_NAME) {
            LOG.warn("the name stage answered for request {}, which is not waiting for it; the answer is ignored{}",
                    answer.requestId(), answer.granted() ? " and its place under the name cap given back" : "");
            if (answer.granted() && answer.nameKey() != null) {
                context.forward(new Record<>(answer.nameKey(), new NameClaim(NameClaim.Kind.RELEASE,
                        answer.requestId(), null, answer.nameKey(), answer.at()), context.currentStreamTimeMs()));
            }
            return;
        }
        claimDeadlines.remove(claiming.requestId());
        try {
            if (!answer.granted()) {
                idCap.release(claiming.personKey(), claiming.requestId(), claiming.idAt());
                CheckedRequest checked = claiming.checked();
                emit(results.capped(checked.request(), Results.CAP_PER_NAME, Instant.ofEpochMilli(checked.receivedAt()),
                        clock.instant()));
                end(claiming);
                serveNext(claiming.personKey());
                return;
            }
            pending.put(claiming.requestId(), claiming.calling(answer.at()));
            calls.schedule(claiming.requestId(), 0);
        } catch (RuntimeException e) {
            quarantine(claiming.requestId(), e);
        }
    }

    /** A claim or answer lost on the way (it failed in a processor and went to the poison dead letters). */
    private void endLostClaims() {
        long now = clock.millis();
        if (claimDeadlines.isEmpty() || now < nextClaimCheck) {
            return;
        }
        nextClaimCheck = now + CLAIM_CHECK_INTERVAL_MS;
        List<String> expired = claimDeadlines.entrySet().stream().filter(e -> e.getValue() <= now)
                .map(Map.Entry::getKey).toList();
        for (String requestId : expired) {
            abandon(pending.get(requestId), new IllegalStateException("the name stage did not answer within "
                    + admission.claimTimeout().toSeconds() + " s: the claim or its answer was lost"));
        }
    }

    private void drainAndDispatch() {
        calls.drain(this::finishCall);
        calls.dispatch(this);
        endLostClaims();
    }

    @Override
    public DailyCalls budget() {
        return budget;
    }

    @Override
    public VerificationRequest requestToSend(String requestId) {
        try {
            Pending call = pending.get(requestId);
            if (call == null || call.stage() != Pending.Stage.CALLING) {
                return null;
            }
            if (restoredAdmitted.remove(requestId)) {
                possiblyRepeated.increment();
            }
            return call.checked().withImage(photos.get(requestId)).request();
        } catch (RuntimeException e) {
            quarantine(requestId, e);
            return null;
        }
    }

    @Override
    public void failWithoutCall(String requestId, String reason) {
        try {
            Pending call = pending.get(requestId);
            if (call != null) {
                writeResult(call, new ProviderAnswer.ProviderUnavailable(reason, null), call.attemptsMade(),
                        clock.instant());
            }
        } catch (RuntimeException e) {
            quarantine(requestId, e);
        }
    }

    private void finishCall(CallQueue.Completion completion) {
        try {
            finish(completion);
        } catch (RuntimeException e) {
            quarantine(completion.requestId(), e);
        }
    }

    private void finish(CallQueue.Completion completion) {
        String requestId = completion.requestId();
        Pending call = pending.get(requestId);
        ProviderAnswer answer = completion.answer();
        long now = clock.millis();
        setup.circuit().record(answer, now);
        Billing billing = answer.billing();
        answerCounters.computeIfAbsent(answer.getClass().getSimpleName() + billing, k -> setup.meters()
                .counter("facecheck.provider.answers", "kind", answer.getClass().getSimpleName(),
                        "billing", billing.label())).increment();
        if (call == null || call.stage() != Pending.Stage.CALLING) {
            return; // already finished by an earlier answer to the same request
        }
        if (answer instanceof ProviderAnswer.ProviderUnavailable && setup.onUnavailable() == CallSetup.OnUnavailable.PAUSE) {
            calls.retryFirst(requestId); // not an attempt: the call was refused before the provider saw it
            return;
        }
        if (answer instanceof ProviderAnswer.TransientFailure || answer instanceof ProviderAnswer.Throttled) {
            long backoff = setup.retry().backoffMillis(call.attemptsMade() + 1);
            if (setup.retry().allowsAnother(call.attemptsMade() + 1, call.takenAt(), now, backoff)) {
                Pending retry = call.retryAt(now + backoff);
                pending.put(requestId, retry);
                calls.schedule(requestId, retry.dueAt());
                return;
            }
        }
        writeResult(call, answer, call.attemptsMade() + 1, Instant.ofEpochMilli(now));
    }

    private static boolean billed(ProviderAnswer answer) {
        return answer.billing() == Billing.BILLED;
    }

    /**
     * Writes the call's result (and, for failures a replay could fix, the whole request to the dead letters),
     * gives both cap reservations back when no call was billed, and serves the person's next request.
     *
     * @param attempts calls made for the request, this one included
     */
    private void writeResult(Pending call, ProviderAnswer answer, int attempts, Instant now) {
        CheckedRequest checked = call.checked();
        VerificationResult result = results.fromAnswer(checked.request(), answer, attempts,
                Instant.ofEpochMilli(checked.receivedAt()), now);
        emit(result);
        if (Results.isRetryableFailure(answer)) {
            LOG.warn("request {} failed after {} attempt(s) and goes to the retryable dead letters: {}",
                    result.requestId(), attempts, result.message());
            context.forward(new Record<String, Object>(result.requestId(),
                    checked.withImage(photos.get(call.requestId())).request(), checked.receivedAt(),
                    DeadLetters.headers(checked, attempts, result.reason(), result.message(), now)));
        }
        if (!billed(answer)) {
            idCap.release(call.personKey(), call.requestId(), call.idAt());
            context.forward(new Record<>(checked.nameKey(), new NameClaim(NameClaim.Kind.RELEASE, call.requestId(),
                    call.personKey(), checked.nameKey(), call.nameAt()), checked.receivedAt()));
        }
        end(call);
        serveNext(call.personKey());
    }

    private void emit(VerificationResult result) {
        context.forward(new Record<>(result.requestId(), result, result.receivedAt().toEpochMilli()));
    }

    /**
     * Ends a request this task failed on in a way nobody foresaw, so that the failure costs that request and not
     * the stream thread.
     */
    private void quarantine(String requestId, RuntimeException failure) {
        Pending p = pending.get(requestId);
        if (p == null) {
            throw failure; // nothing of it was kept here: the record's own failure handling ends it
        }
        processingFailures.increment();
        LOG.error("request {} failed in {}", requestId, FailedRecords.describe(failure, FacecheckTopology.SERVE),
                Masking.withoutMessages(failure));
        abandon(p, failure);
    }

    /**
     * Its own result 7 when the check had rejected it, else result 9 {@code internal-error} with the request kept
     * whole on the retryable dead letters. Cap places go back only while no call can have been made; a request
     * with a call in flight or answered keeps them, as the provider may have counted it.
     */
    private void abandon(Pending p, RuntimeException failure) {
        String requestId = p.requestId();
        CheckedRequest checked = p.checked();
        Instant now = clock.instant();
        if (checked.rejection() != null) {
            emit(checked.rejection());
        } else {
            String what = FailedRecords.describe(failure, FacecheckTopology.SERVE);
            LOG.warn("request {} gets result 9 (internal-error) and goes to the retryable dead letters: {}",
                    requestId, what);
            emit(results.internalError(checked.request(), what, Instant.ofEpochMilli(checked.receivedAt()), now));
            Headers headers = DeadLetters.headers(checked, p.attemptsMade(), FailedRecords.INTERNAL_ERROR, what, now);
            DeadLetters.putFailure(headers, FacecheckTopology.SERVE, failure);
            context.forward(new Record<String, Object>(requestId, checked.withImage(photos.get(requestId)).request(),
                    checked.receivedAt(), headers));
        }
        if (p.stage() == Pending.Stage.CLAIMING_NAME) {
            idCap.release(p.personKey(), requestId, p.idAt());
            // The reservation may or may not have been granted; giving back one that is not there changes nothing.
            context.forward(new Record<>(checked.nameKey(), new NameClaim(NameClaim.Kind.RELEASE, requestId,
                    p.personKey(), checked.nameKey(), checked.receivedAt()), context.currentStreamTimeMs()));
        }
        claimDeadlines.remove(requestId);
        end(p);
        serveNext(p.personKey());
    }

    /** The request is answered: it and its photo leave the stores, and the person's turn passes on. */
    private void end(Pending p) {
        pending.delete(p.requestId());
        photos.delete(p.requestId());
        Deque<String> queue = turns.get(p.personKey());
        if (queue == null) {
            return;
        }
        queue.remove(p.requestId());
        if (queue.isEmpty()) {
            turns.remove(p.personKey());
        }
    }
}
