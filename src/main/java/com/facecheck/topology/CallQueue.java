package com.facecheck.topology;

import com.facecheck.contract.VerificationRequest;
import com.facecheck.provider.Billing;
import com.facecheck.provider.CallPermits;
import com.facecheck.provider.ProviderAnswer;
import com.facecheck.provider.ProviderCircuit;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * One task's admitted calls, by request id: those ready to start (oldest first), those waiting for a retry's due
 * time, and those in flight. A request is in at most one of these at a time, however often it is scheduled.
 * Calls start only when the task's permits allow and the provider is available; answers arrive on an HTTP
 * thread and only join a queue that the stream thread drains. Nothing here is durable: the task's stores are,
 * and rebuild this after a restart.
 */
final class CallQueue {

    /**
     * An answer, waiting for the stream thread.
     *
     * @param startedAt wall-clock time (epoch ms) the call started
     * @param tookNanos from the call's start to its answer, without the wait for the stream thread
     */
    record Completion(String requestId, ProviderAnswer answer, long startedAt, long tookNanos) {
    }

    private record Scheduled(long dueAt, String requestId) {
    }

    private final CallSetup setup;
    private final CallPermits permits;
    private final Clock clock;
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final Deque<String> ready = new ArrayDeque<>();
    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>(Comparator.comparingLong(Scheduled::dueAt));
    /** Ready or scheduled: a request id in here is not queued again. */
    private final Set<String> queued = new HashSet<>();
    /** Started and not yet drained: in flight, or answered and waiting in {@link #completions}. */
    private final Set<String> inFlight = new HashSet<>();
    /** Drained, their outcome written into the open transaction: a crash before it commits repeats them. */
    private int answeredUncommitted;
    /** Set when the task closes: answers that arrive later are dropped (the task's next owner calls again). */
    private boolean closed;
    /** How many of {@link #queued} the worker's gauge counts now. */
    private int reportedWaiting;
    /** How many calls in flight or answered and not committed the worker's gauge counts now. */
    private int reportedUnsettled;

    CallQueue(CallSetup setup, Clock clock) {
        this.setup = setup;
        this.permits = setup.permits().get();
        this.clock = clock;
    }

    /** Forgets the calls not yet started: the task's stores hold them, and rebuild them when it starts again. */
    void clearWaiting() {
        ready.clear();
        scheduled.clear();
        queued.clear();
        reportWaiting();
    }

    /**
     * The task closes (moved, stopped, or to be revived): answers not yet taken can no longer be written by it, and
     * are dropped, so that the worker does not wait for them.
     */
    synchronized void close() {
        closed = true;
        while (completions.poll() != null) {
            permits.answerTaken();
        }
        // Forgotten too: a revived task calls again for what it restores, rather than wait for answers it dropped.
        inFlight.clear();
        answeredUncommitted = 0;
        reportUnsettled();
        clearWaiting();
    }

    /** The task's transaction committed: the answers drained before are settled, never to be asked for again. */
    void committed() {
        answeredUncommitted = 0;
        reportUnsettled();
    }

    /** A revived task takes answers again. */
    synchronized void reopen() {
        closed = false;
    }

    /**
     * Queues a call to start when permits allow, or not before {@code dueAt} (wall clock, epoch ms). A request
     * already queued or in flight is not queued again.
     */
    void schedule(String requestId, long dueAt) {
        if (inFlight.contains(requestId) || !queued.add(requestId)) {
            return;
        }
        if (dueAt <= clock.millis()) {
            ready.addLast(requestId);
        } else {
            scheduled.add(new Scheduled(dueAt, requestId));
        }
        reportWaiting();
    }

    /** Puts a call that the provider refused before seeing it back at the front. */
    void retryFirst(String requestId) {
        if (!inFlight.contains(requestId) && queued.add(requestId)) {
            ready.addFirst(requestId);
            reportWaiting();
        }
    }

    /** What the queue needs from the task that owns the calls. */
    interface Owner {
        /** The request to send, photo included; null when it no longer waits for a call. */
        VerificationRequest requestToSend(String requestId);

        /** Ends the request with a failure a replay could fix, without a call. */
        void failWithoutCall(String requestId, String reason);

        DailyCalls budget();
    }

    /**
     * Starts ready calls, oldest first, while the provider is available, the daily budget lasts and the permits
     * allow. While the provider is unavailable (or the budget spent) and the worker is set to dead-letter then,
     * ready calls fail at once, except the one that goes as the probe. A permit or probe taken for a call that is
     * not made after all is given back at once.
     */
    void dispatch(Owner owner) {
        long now = clock.millis();
        ProviderCircuit circuit = setup.circuit();
        boolean deadLetterWhenUnavailable = setup.onUnavailable() == CallSetup.OnUnavailable.DEAD_LETTER;
        while (!scheduled.isEmpty() && scheduled.peek().dueAt() <= now) {
            ready.addLast(scheduled.poll().requestId());
        }
        while (!ready.isEmpty()) {
            if (owner.budget().exhausted(clock.instant())) {
                if (!deadLetterWhenUnavailable) {
                    return;
                }
                owner.failWithoutCall(take(), owner.budget().reason());
                continue;
            }
            if (deadLetterWhenUnavailable && circuit.isOpen() && !circuit.probeDue(now)) {
                owner.failWithoutCall(take(), circuit.reason());
                continue;
            }
            if (!permits.tryAcquire()) {
                return;
            }
            ProviderCircuit.Pass pass = circuit.pass(now);
            if (pass == null) {
                permits.release();
                return;
            }
            VerificationRequest request = owner.requestToSend(take());
            if (request == null) {
                permits.release();
                pass.giveBack();
                continue;
            }
            owner.budget().spend(clock.instant());
            start(request, now);
        }
    }

    private String take() {
        String requestId = ready.pollFirst();
        queued.remove(requestId);
        reportWaiting();
        return requestId;
    }

    private void reportWaiting() {
        setup.gauges().waitingChanged(queued.size() - reportedWaiting);
        reportedWaiting = queued.size();
    }

    private void reportUnsettled() {
        int unsettled = inFlight.size() + answeredUncommitted;
        setup.gauges().unsettledChanged(unsettled - reportedUnsettled);
        reportedUnsettled = unsettled;
    }

    private void start(VerificationRequest request, long now) {
        String requestId = request.requestId();
        inFlight.add(requestId);
        reportUnsettled();
        permits.callStarted();
        long startedNanos = System.nanoTime();
        CompletionStage<ProviderAnswer> call;
        try {
            call = setup.provider().verify(request);
        } catch (RuntimeException e) {
            // A client that throws instead of failing its future still owes the request an answer.
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((answer, failure) -> {
            permits.release();
            answered(new Completion(requestId, answer != null ? answer
                    : new ProviderAnswer.TransientFailure("the provider client failed: "
                            + (failure == null ? "it answered nothing" : failure.getClass().getSimpleName()),
                            Billing.UNKNOWN, null),
                    now, System.nanoTime() - startedNanos));
        });
    }

    private synchronized void answered(Completion completion) {
        if (closed) {
            permits.answerTaken();
        } else {
            completions.add(completion);
        }
    }

    /** Hands every answer that has arrived to {@code finish}, on the calling (stream) thread. */
    void drain(Consumer<Completion> finish) {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            inFlight.remove(completion.requestId());
            answeredUncommitted++;
            permits.answerTaken();
            finish.accept(completion);
        }
    }
}
