package com.facecheck.topology;

import com.facecheck.contract.VerificationRequest;
import com.facecheck.provider.CallPermits;
import com.facecheck.provider.ProviderAnswer;
import com.facecheck.provider.ProviderCircuit;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One task's admitted calls, by request id: those ready to start (oldest first), those waiting for a retry's due
 * time, and those in flight. Calls start only when the task's permits allow and the provider is available;
 * answers arrive on an HTTP thread and only join a queue that the stream thread drains. Nothing here is
 * durable: the task's stores are, and rebuild this after a restart.
 */
final class CallQueue {

    /** An answer, waiting for the stream thread. */
    record Completion(String requestId, ProviderAnswer answer) {
    }

    private record Scheduled(long dueAt, String requestId) {
    }

    private final CallSetup setup;
    private final CallPermits permits;
    private final Clock clock;
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final Deque<String> ready = new ArrayDeque<>();
    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>(Comparator.comparingLong(Scheduled::dueAt));
    private final AtomicInteger inFlight = new AtomicInteger();

    CallQueue(CallSetup setup, Clock clock) {
        this.setup = setup;
        this.permits = setup.permits().get();
        this.clock = clock;
    }

    void clear() {
        ready.clear();
        scheduled.clear();
    }

    /** Queues a call to start when permits allow, or not before {@code dueAt} (wall clock, epoch ms). */
    void schedule(String requestId, long dueAt) {
        if (dueAt <= clock.millis()) {
            ready.addLast(requestId);
        } else {
            scheduled.add(new Scheduled(dueAt, requestId));
        }
    }

    /** Puts a call that the provider refused before seeing it back at the front. */
    void retryFirst(String requestId) {
        ready.addFirst(requestId);
    }

    /** Calls admitted and not yet answered: ready, scheduled or in flight. Back-pressure watches this. */
    int outstanding() {
        return ready.size() + scheduled.size() + inFlight.get() + completions.size();
    }

    /** What the queue needs from the task that owns the calls. */
    interface Owner {
        /** The request to send, photo included; null when the call has ended meanwhile. */
        VerificationRequest requestToSend(String requestId);

        /** Ends the request with a failure a replay could fix, without a call. */
        void failWithoutCall(String requestId, String reason);

        DailyCalls budget();
    }

    /**
     * Starts ready calls, oldest first, while the provider is available, the daily budget lasts and the permits
     * allow. While the provider is unavailable (or the budget spent) and the worker is set to dead-letter then,
     * ready calls fail at once, except the one that goes as the probe.
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
                owner.failWithoutCall(ready.pollFirst(), owner.budget().reason());
                continue;
            }
            if (deadLetterWhenUnavailable && circuit.isOpen() && !circuit.probeDue(now)) {
                owner.failWithoutCall(ready.pollFirst(), circuit.reason());
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
            VerificationRequest request = owner.requestToSend(ready.pollFirst());
            if (request == null) {
                permits.release();
                continue;
            }
            owner.budget().spend(clock.instant());
            start(request);
        }
    }

    private void start(VerificationRequest request) {
        inFlight.incrementAndGet();
        CompletionStage<ProviderAnswer> call;
        try {
            call = setup.provider().verify(request);
        } catch (RuntimeException e) {
            // A client that throws instead of failing its future still owes the request an answer.
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((answer, failure) -> {
            permits.release();
            completions.add(new Completion(request.requestId(), answer != null ? answer
                    : new ProviderAnswer.TransientFailure("the provider client failed: "
                            + (failure == null ? "it answered nothing" : failure.getClass().getSimpleName()),
                            com.facecheck.provider.Billing.UNKNOWN, null)));
            inFlight.decrementAndGet();
        });
    }

    /** Hands every answer that has arrived to {@code finish}, on the calling (stream) thread. */
    void drain(Consumer<Completion> finish) {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            finish.accept(completion);
        }
    }

    /** Like {@link #drain}, but first waits up to {@code millis} for an answer when none has arrived. */
    void drainWaiting(long millis, Consumer<Completion> finish) throws InterruptedException {
        Completion first = completions.poll(millis, TimeUnit.MILLISECONDS);
        if (first != null) {
            finish.accept(first);
            drain(finish);
        }
    }
}
