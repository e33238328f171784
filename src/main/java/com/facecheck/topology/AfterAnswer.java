package com.facecheck.topology;

import com.facecheck.provider.Billing;
import com.facecheck.provider.ProviderAnswer;

/**
 * What an answer means for the request it answers: wait for the provider, try again, or the result.
 *
 * <p>Only a call known not to have been billed is tried again. A 200 whose body cannot be read was billed, and a
 * call that timed out or was cut off after it was sent may have been: a second call could be paid for twice, so the
 * request ends, keeps its cap places (the provider may have counted it) and goes to the retryable dead letters,
 * where a replay is the operator's decision.
 */
sealed interface AfterAnswer {

    /** Refused before the provider saw it while calls are paused: not an attempt; it goes first when calls resume. */
    record Wait() implements AfterAnswer {
    }

    /** Tried again when {@code next} is due. */
    record Retry(Pending next) implements AfterAnswer {
    }

    /** The answer is the request's result, after {@code attempts} calls. */
    record Final(int attempts) implements AfterAnswer {
    }

    static AfterAnswer of(Pending call, CallQueue.Completion completion, CallSetup setup, long now) {
        ProviderAnswer answer = completion.answer();
        if (answer instanceof ProviderAnswer.ProviderUnavailable
                && setup.onUnavailable() == CallSetup.OnUnavailable.PAUSE) {
            return new Wait();
        }
        int attempts = call.attemptsMade() + 1;
        boolean worthAnother = answer instanceof ProviderAnswer.TransientFailure
                || answer instanceof ProviderAnswer.Throttled;
        if (worthAnother && answer.billing() == Billing.UNBILLED) {
            long backoff = setup.retry().backoffMillis(attempts);
            long firstAttemptAt = call.attemptsMade() == 0 ? completion.startedAt() : call.firstAttemptAt();
            if (setup.retry().allowsAnother(attempts, firstAttemptAt, now, backoff)) {
                return new Retry(call.retryAt(now + backoff, completion.startedAt()));
            }
        }
        return new Final(attempts);
    }
}
