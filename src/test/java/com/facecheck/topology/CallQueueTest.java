package com.facecheck.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.provider.CallPermits;
import com.facecheck.provider.ProviderAnswer;
import com.facecheck.provider.ProviderCircuit;
import com.facecheck.provider.RetryPolicy;
import com.facecheck.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Every permit a dispatch takes (probe, in-flight slot) comes back on every path. */
class CallQueueTest {

    private static final Instant NOW = Instant.parse("2026-11-29T02:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ProviderCircuit circuit = new ProviderCircuit(Duration.ofSeconds(30), meters);
    /** One slot for the whole worker: a slot not given back would stop every later call. */
    private final CallPermits.InFlight inFlight = new CallPermits.InFlight(1);
    private final CallGauges gauges = new CallGauges(clock);
    private final List<String> sent = new ArrayList<>();
    private final Map<String, CompletableFuture<ProviderAnswer>> answers = new HashMap<>();
    private final CallQueue queue = new CallQueue(new CallSetup(request -> {
        sent.add(request.requestId());
        return answers.computeIfAbsent(request.requestId(), id -> new CompletableFuture<>());
    }, () -> CallPermits.forTask(0, 1, inFlight), circuit, RetryPolicy.defaults(), CallSetup.OnUnavailable.PAUSE,
            CallSetup.Budget.NONE, meters, gauges), clock);

    /** Requests the owner still wants called; any other id has ended meanwhile. */
    private final Set<String> waiting = new HashSet<>();
    private final CallQueue.Owner owner = new CallQueue.Owner() {
        private final DailyCalls budget = new DailyCalls(null, Long.MAX_VALUE, (day, spent) -> { }); // no budget: no store read

        @Override
        public VerificationRequest requestToSend(String requestId) {
            return waiting.contains(requestId)
                    ? new VerificationRequest(requestId, "李三", "35020319900101123X", "image", null, null, null, null)
                    : null;
        }

        @Override
        public void failWithoutCall(String requestId, String reason) {
            throw new AssertionError("a paused worker fails nothing");
        }

        @Override
        public DailyCalls budget() {
            return budget;
        }
    };

    @Test
    void aProbeThatFindsNothingToSendIsGivenBackAndTheNextRequestGoesAsTheProbe() {
        circuit.record(new ProviderAnswer.ProviderUnavailable("gateway HTTP 403: Quota Exhausted", null), clock.millis(),
                clock.millis());
        clock.advance(Duration.ofSeconds(30));
        queue.schedule("ended-meanwhile", 0);
        waiting.add("still-waiting");
        queue.schedule("still-waiting", 0);

        queue.dispatch(owner);

        assertThat(sent).containsExactly("still-waiting");
    }

    @Test
    void theInFlightSlotOfACallNotMadeIsGivenBack() {
        queue.schedule("ended-meanwhile", 0);
        queue.dispatch(owner);

        waiting.add("next"); // the worker has one in-flight slot: this call needs it back
        queue.schedule("next", 0);
        queue.dispatch(owner);
        assertThat(sent).containsExactly("next");
    }

    @Test
    void aClosedTaskDropsLateAnswersAndOnceRevivedCallsAgainRatherThanWaitForever() {
        waiting.add("r");
        queue.schedule("r", 0);
        queue.dispatch(owner);
        queue.close(); // the task is closed with the call in flight
        answers.get("r").complete(new ProviderAnswer.Verdict(Outcome.VERIFIED, true, "ok", null, null, null, null));
        assertThat(inFlight.unfinished()).as("the dropped answer counts as taken: a stopping worker waits for none")
                .isZero();

        queue.reopen(); // revived: its stores say the request still waits for a call
        queue.schedule("r", 0);
        queue.dispatch(owner);
        assertThat(sent).containsExactly("r", "r");
    }

    @Test
    void aRequestQueuedTwiceOrWhileInFlightIsCalledOnce() {
        waiting.add("r");
        queue.schedule("r", 0);
        queue.schedule("r", 0); // e.g. resumed by a revived task while already queued
        queue.dispatch(owner);
        queue.schedule("r", 0); // and again while its call is in flight
        answers.get("r").complete(new ProviderAnswer.Verdict(Outcome.VERIFIED, true, "ok", null, null, null, null));
        queue.dispatch(owner);
        assertThat(sent).containsExactly("r");

        List<CallQueue.Completion> drained = new ArrayList<>();
        queue.drain(drained::add);
        assertThat(drained).extracting(CallQueue.Completion::requestId).containsExactly("r");
        assertThat(drained.get(0).startedAt()).isEqualTo(NOW.toEpochMilli());
        queue.schedule("r", 0); // answered and drained: a retry may be queued again
        queue.dispatch(owner);
        assertThat(sent).containsExactly("r", "r");
    }

    @Test
    void theWorkersGaugeCountsCallsWaitingUntilTheyStartOrTheTaskLetsThemGo() {
        gauges.register(meters, false);
        waiting.addAll(List.of("a", "b", "later"));
        queue.schedule("a", 0);
        queue.schedule("b", 0);
        queue.schedule("later", clock.millis() + 60_000); // a retry's due time
        assertThat(meters.get(CallGauges.WAITING).gauge().value()).isEqualTo(3);

        queue.dispatch(owner); // one in-flight slot: a starts, b waits for it
        assertThat(sent).containsExactly("a");
        assertThat(inFlight.current()).isEqualTo(1);
        assertThat(meters.get(CallGauges.WAITING).gauge().value()).isEqualTo(2);

        answers.get("a").complete(new ProviderAnswer.Verdict(Outcome.VERIFIED, true, "ok", null, null, null, null));
        queue.drain(completion -> { });
        queue.dispatch(owner);
        assertThat(sent).containsExactly("a", "b");
        assertThat(meters.get(CallGauges.WAITING).gauge().value()).isEqualTo(1);

        queue.clearWaiting(); // the task closes: its waiting calls are no longer this worker's
        assertThat(meters.get(CallGauges.WAITING).gauge().value()).isZero();
        assertThat(meters.find(CallGauges.BUDGET_LEFT).gauge()).as("no daily budget, no gauge").isNull();
    }

    @Test
    void aCallStaysUnsettledFromItsStartUntilTheCommitAfterItsAnswerOrUntilTheTaskCloses() {
        gauges.register(meters, false);
        waiting.addAll(List.of("a", "b"));
        queue.schedule("a", 0);
        queue.schedule("b", 0);
        queue.dispatch(owner);
        assertThat(unsettled()).as("a in flight").isEqualTo(1);

        answers.get("a").complete(new ProviderAnswer.Verdict(Outcome.VERIFIED, true, "ok", null, null, null, null));
        queue.drain(completion -> { });
        queue.dispatch(owner);
        assertThat(sent).containsExactly("a", "b");
        assertThat(unsettled()).as("a answered but not committed, b in flight").isEqualTo(2);

        queue.committed();
        assertThat(unsettled()).as("a committed").isEqualTo(1);

        answers.get("b").complete(new ProviderAnswer.Verdict(Outcome.VERIFIED, true, "ok", null, null, null, null));
        queue.drain(completion -> { });
        assertThat(unsettled()).as("b answered, not committed").isEqualTo(1);
        queue.close(); // its next owner is the one to call again
        assertThat(unsettled()).isZero();
    }

    private double unsettled() {
        return meters.get(CallGauges.UNSETTLED).gauge().value();
    }
}
