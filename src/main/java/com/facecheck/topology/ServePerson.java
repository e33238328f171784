package com.facecheck.topology;

import com.facecheck.contract.AuditRecord;
import com.facecheck.contract.VerificationResult;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.identity.Masking;
import com.facecheck.provider.Billing;
import com.facecheck.provider.ProviderAnswer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.TopicConfig;
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
 * deletes the request and its photo in the same transaction. Neither a commit nor the intake of records ever
 * waits for a call: requests wait on disk, in the store, however long the provider takes. After a crash or
 * rebalance the task's new owner restores the stores and calls again for every request that was admitted:
 * those repeated calls are the only extra calls the design allows.
 */
final class ServePerson implements Processor<String, PersonInput, String, PersonOutput>, CallQueue.Owner {

    static final String PENDING = "facecheck-pending-requests";
    static final String PHOTOS = "facecheck-pending-photos";
    /**
     * Compaction never touches a changelog's active segment: with Kafka's default of a week per segment, an ended
     * request's sealed photo and name would stay on the broker's disks for days after their tombstone. An hour's
     * segments let the cleaner drop them soon; the tombstones themselves stay the default day, so that a standby
     * that was away for hours still sees the request end.
     */
    private static final Map<String, String> SHORT_SEGMENTS =
            Map.of(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()));
    static final String ID_RESERVATIONS = "facecheck-id-reservations";

    private static final Logger LOG = LoggerFactory.getLogger(ServePerson.class);

    private final Admission admission;
    private final CallSetup setup;
    private final Results results;
    private final Clock clock;
    private final Duration drainInterval;
    private final String workerVersion;
    private final CallQueue calls;
    private final ServeMeters meters;
    private final PersonTurns turns = new PersonTurns();
    private final ClaimDeadlines claims;
    /** Requests admitted before this task was restored: the previous owner may already have called for them. */
    private final Set<String> restoredAdmitted = new HashSet<>();
    private long nextSeq;
    private ProcessorContext<String, PersonOutput> context;
    private KeyValueStore<String, Pending> pending;
    private KeyValueStore<String, VerificationRequest> photos;
    private CapLedger idCap;
    private DailyCalls budget;
    private CommitWatch commits;

    /** @param workerVersion what the audit records say decided */
    ServePerson(Admission admission, CallSetup setup, Results results, Clock clock, Duration drainInterval,
                String workerVersion) {
        this.admission = admission;
        this.setup = setup;
        this.results = results;
        this.clock = clock;
        this.drainInterval = drainInterval;
        this.workerVersion = workerVersion;
        this.calls = new CallQueue(setup, clock);
        this.meters = new ServeMeters(setup.meters());
        this.claims = new ClaimDeadlines(admission.claimTimeout());
    }

    static List<StoreBuilder<?>> storeBuilders(Admission admission, Topics topics) {
        return List.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING), Serdes.String(),
                        topics.pendingSerde()).withCachingEnabled().withLoggingEnabled(SHORT_SEGMENTS),
                // A photo put and deleted within one commit interval never reaches the changelog, nor RocksDB.
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PHOTOS), Serdes.String(),
                        topics.photoSerde()).withCachingEnabled().withLoggingEnabled(SHORT_SEGMENTS),
                CapLedger.storeBuilder(ID_RESERVATIONS, admission.capWindow()),
                DailyCalls.storeBuilder());
    }

    @Override
    public void init(ProcessorContext<String, PersonOutput> context) {
        this.context = context;
        this.pending = context.getStateStore(PENDING);
        this.photos = context.getStateStore(PHOTOS);
        WindowStore<String, String> reservations = context.getStateStore(ID_RESERVATIONS);
        this.idCap = new CapLedger(reservations, admission.capWindow(), admission.perId());
        int partition = context.taskId().partition();
        long share = DailyCalls.share(setup.budget().dailyCalls(), setup.budget().partitions(), partition);
        this.budget = new DailyCalls(context.getStateStore(DailyCalls.STORE), share,
                (day, spent) -> setup.gauges().spent(partition, share, day, spent));
        budget.load(clock.instant());
        // A revived task is initialised again: what was in memory is rebuilt from the restored stores.
        calls.reopen();
        calls.clearWaiting();
        turns.clear();
        restoredAdmitted.clear();
        claims.clear();
        commits = CommitWatch.of(context.metrics().metrics(), context.appConfigs(), Thread.currentThread().getName(),
                partition);
        context.schedule(drainInterval, PunctuationType.WALL_CLOCK_TIME, now -> drainAndDispatch());
        resume();
    }

    /**
     * The task leaves this instance (or is revived): its calls not yet started are forgotten, answers it can no
     * longer write are dropped, and what it reported to the worker's gauges goes with it.
     */
    @Override
    public void close() {
        calls.close();
        setup.gauges().withdraw(context.taskId().partition());
    }

    @Override
    public void process(Record<String, PersonInput> record) {
        PersonInput value = InternalRecords.required(record, "request or name answer");
        if (value instanceof CheckedRequest checked) {
            take(checked);
        } else {
            answered((NameAnswer) value);
        }
        drainAndDispatch();
    }

    private void resume() {
        List<PersonTurns.Restored> restored = turns.restore(pending);
        long now = clock.millis();
        int resumedCalls = 0;
        for (PersonTurns.Restored r : restored) {
            nextSeq = Math.max(nextSeq, r.seq() + 1);
            if (r.stage() == Pending.Stage.QUEUED) {
                continue;
            }
            restoredAdmitted.add(r.requestId());
            if (r.stage() == Pending.Stage.CALLING) {
                calls.schedule(r.requestId(), r.dueAt());
                resumedCalls++;
            } else {
                // The wait starts again: an answer written before the restore is still on its way.
                claims.waitFrom(r.requestId(), now);
            }
        }
        turns.persons().forEach(this::serveNext);
        if (!restored.isEmpty()) {
            LOG.info("task {} resumed {} requests that were pending when it last stopped, {} of them to be called",
                    context.taskId(), restored.size(), resumedCalls);
        }
    }

    private void take(CheckedRequest checked) {
        String requestId = checked.requestId();
        if (pending.get(requestId) != null) {
            // Only possible beyond the dedup window (e.g. a request waiting out a long provider outage).
            RequestLog.about(LOG.atWarn(), requestId, partition())
                    .log("request {} arrived again while it is still pending; the copy is dropped", requestId);
            meters.duplicates.increment();
            return;
        }
        try {
            pending.put(requestId, Pending.queued(checked, nextSeq++, clock.millis()));
            if (checked.request().image() != null) {
                photos.put(requestId, checked.request().photoOnly());
            }
        } catch (RuntimeException e) {
            // Not taken whole: no trace of it may stay behind, and the record's failure ends it (FailedRecords).
            forget(requestId);
            throw e;
        }
        if (turns.join(checked.personKey(), requestId)) {
            serveNext(checked.personKey());
        }
    }

    /** Serves the person's first request, answering at once every one the check rejected or the ID cap refuses. */
    private void serveNext(String personKey) {
        String requestId;
        while ((requestId = turns.first(personKey)) != null) {
            try {
                Pending next = pending.get(requestId);
                if (next == null) {
                    turns.leave(personKey, requestId); // ended while this task's memory was not looking
                } else if (!serve(next)) {
                    return;
                }
            } catch (RuntimeException e) {
                quarantine(requestId, e);
                return; // quarantine serves the person's next request
            }
        }
    }

    /** Whether the request was answered at once, so that the person's next one can be served. */
    private boolean serve(Pending next) {
        if (next.stage() != Pending.Stage.QUEUED) {
            return false; // already being served
        }
        CheckedRequest checked = next.checked();
        if (checked.rejection() != null) {
            result(checked.rejection(), checked);
            end(next);
            return true;
        }
        long now = clock.millis();
        if (!idCap.reserve(next.personKey(), next.requestId(), now)) {
            meters.idCapRefusals.increment();
            result(results.capped(checked.request(), Results.CAP_PER_ID, Instant.ofEpochMilli(checked.receivedAt()),
                    clock.instant()), checked);
            end(next);
            return true;
        }
        pending.put(next.requestId(), next.claimingName());
        claims.waitFrom(next.requestId(), now);
        nameClaim(NameClaim.Kind.RESERVE, checked.nameKey(), next.requestId(), next.personKey());
        return false;
    }

    private void answered(NameAnswer answer) {
        Pending claiming = pending.get(answer.requestId());
        if (claiming == null || claiming.stage() != Pending.Stage.CLAIMING_NAME) {
            RequestLog.about(LOG.atWarn(), answer.requestId(), partition())
                    .log("the name stage answered for request {}, which is not waiting for it; the answer is ignored{}",
                            answer.requestId(), answer.granted() ? " and its place under the name cap given back" : "");
            if (answer.granted() && answer.nameKey() != null) {
                nameClaim(NameClaim.Kind.RELEASE, answer.nameKey(), answer.requestId(), null);
            }
            return;
        }
        claims.answered(claiming.requestId());
        try {
            if (!answer.granted()) {
                idCap.release(claiming.personKey(), claiming.requestId(), clock.millis());
                CheckedRequest checked = claiming.checked();
                result(results.capped(checked.request(), Results.CAP_PER_NAME, Instant.ofEpochMilli(checked.receivedAt()),
                        clock.instant()), checked);
                end(claiming);
                serveNext(claiming.personKey());
                return;
            }
            pending.put(claiming.requestId(), claiming.calling());
            calls.schedule(claiming.requestId(), 0);
        } catch (RuntimeException e) {
            quarantine(claiming.requestId(), e);
        }
    }

    /** A claim or answer lost on the way ends its request, so that the person's later requests are served. */
    private void endLostClaims() {
        for (String requestId : claims.expired(clock.millis())) {
            Pending p = pending.get(requestId);
            if (p != null && p.stage() == Pending.Stage.CLAIMING_NAME) {
                abandon(p, claims.lost());
            }
        }
    }

    private void drainAndDispatch() {
        if (commits.sawCommit()) {
            calls.committed(); // before the drain: answers taken after this look are in the next transaction
        }
        calls.drain(this::finishCall);
        if (!commits.holdCalls(clock.millis())) {
            calls.dispatch(this);
        }
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
                meters.resumedCalls.increment();
            }
            return call.checked().withImage(photo(requestId)).request();
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
        setup.circuit().record(answer, completion.startedAt(), now);
        meters.answered(answer, completion.tookNanos());
        if (call == null || call.stage() != Pending.Stage.CALLING) {
            return; // already finished by an earlier answer to the same request
        }
        AfterAnswer next = AfterAnswer.of(call, completion, setup, now);
        if (next instanceof AfterAnswer.Wait) {
            calls.retryFirst(requestId);
        } else if (next instanceof AfterAnswer.Retry retry) {
            meters.retries.increment();
            pending.put(requestId, retry.next());
            calls.schedule(requestId, retry.next().dueAt());
        } else {
            writeResult(call, answer, ((AfterAnswer.Final) next).attempts(), Instant.ofEpochMilli(now));
        }
    }

    /**
     * Writes the call's result (and, for failures a replay could fix, the whole request to the dead letters),
     * gives both cap places back when the call is known not to have been billed, and serves the person's next
     * request.
     *
     * @param attempts calls made for the request, this one included
     */
    private void writeResult(Pending call, ProviderAnswer answer, int attempts, Instant now) {
        CheckedRequest checked = call.checked();
        VerificationResult result = results.fromAnswer(checked.request(), answer, attempts,
                Instant.ofEpochMilli(checked.receivedAt()), now);
        result(result, checked);
        commits.written(now.toEpochMilli());
        if (Results.isRetryableFailure(answer)) {
            RequestLog.ended(LOG.atWarn(), result, partition())
                    .log("request {} failed after {} attempt(s) and goes to the retryable dead letters: {}",
                            result.requestId(), attempts, result.message());
            deadLetter(call, DeadLetters.headers(checked, attempts, result.reason(), result.message(), now));
        }
        if (answer.billing() == Billing.UNBILLED) {
            givePlacesBack(call);
        }
        end(call);
        serveNext(call.personKey());
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
        meters.quarantined.increment();
        RequestLog.about(LOG.atError(), requestId, partition()).setCause(Masking.withoutMessages(failure))
                .log("request {} failed in {}", requestId, FailedRecords.describe(failure, FacecheckTopology.SERVE));
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
            result(checked.rejection(), checked);
        } else {
            String what = FailedRecords.describe(failure, FacecheckTopology.SERVE);
            // Once admitted to call, a call may have been made: its billing is unknown.
            VerificationResult result = results.internalError(checked.request(), what, p.stage() == Pending.Stage.CALLING
                    ? Billing.UNKNOWN : Billing.UNBILLED, Instant.ofEpochMilli(checked.receivedAt()), now);
            RequestLog.ended(LOG.atWarn(), result, partition())
                    .log("request {} gets result 9 (internal-error) and goes to the retryable dead letters: {}",
                            requestId, what);
            result(result, checked);
            Headers headers = DeadLetters.headers(checked, p.attemptsMade(), FailedRecords.INTERNAL_ERROR, what, now);
            DeadLetters.putFailure(headers, FacecheckTopology.SERVE, failure);
            deadLetter(p, headers);
        }
        if (p.stage() == Pending.Stage.CLAIMING_NAME) {
            // The name's place may or may not have been granted; giving back one that is not there changes nothing.
            givePlacesBack(p);
        }
        claims.answered(requestId);
        end(p);
        serveNext(p.personKey());
    }

    private void givePlacesBack(Pending p) {
        idCap.release(p.personKey(), p.requestId(), clock.millis());
        nameClaim(NameClaim.Kind.RELEASE, p.checked().nameKey(), p.requestId(), p.personKey());
    }

    /** The request is answered: it and its photo leave the stores, and the person's turn passes on. */
    private void end(Pending p) {
        forget(p.requestId());
        turns.leave(p.personKey(), p.requestId());
    }

    /**
     * Removes the request and its photo from the stores by writing tombstones: a store's {@code delete} reads the old
     * value back and so opened the sealed photo once more per request only to drop it (JFR: 14 % of the stream
     * thread).
     */
    private void forget(String requestId) {
        pending.put(requestId, null);
        photos.put(requestId, null);
    }

    /** The result, and right after it its audit record: both are written in this task's transaction. */
    private void result(VerificationResult result, CheckedRequest checked) {
        AuditRecord audit = AuditRecord.of(result, workerVersion, checked.replayCount());
        meters.resulted(result);
        RequestLog.ended(LOG.atDebug(), result, partition()).log("request {} has result {} ({}), decided by {}",
                result.requestId(), result.error(), result.outcome(), result.decidedBy());
        long timestamp = result.completedAt().toEpochMilli();
        context.forward(new Record<>(result.requestId(), new PersonOutput.Result(result), timestamp));
        context.forward(new Record<>(result.requestId(), new PersonOutput.Audit(audit), timestamp));
    }

    private void deadLetter(Pending p, Headers headers) {
        meters.deadLettered(DeadLetters.reasonCode(headers));
        VerificationRequest whole = p.checked().withImage(photo(p.requestId())).request();
        context.forward(new Record<>(p.requestId(), new PersonOutput.DeadLetter(whole), clock.millis(), headers));
    }

    private String photo(String requestId) {
        VerificationRequest kept = photos.get(requestId);
        return kept == null ? null : kept.image();
    }

    private int partition() {
        return context.taskId().partition();
    }

    private void nameClaim(NameClaim.Kind kind, String nameKey, String requestId, String personKey) {
        context.forward(new Record<>(nameKey, new NameClaim(kind, requestId, personKey, nameKey), clock.millis()));
    }
}
