package com.facecheck.topology;

import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.identity.IdNumber;
import com.facecheck.identity.Masking;
import com.facecheck.identity.RequestValidation;
import com.facecheck.provider.ProviderAnswer;
import java.time.Instant;

/** Builds results from requests: masks the person's data and leaves the photo behind. */
final class Results {

    /** Reason codes for results the provider did not decide. */
    static final String PROVIDER_THROTTLED = "provider-throttled";
    static final String PROVIDER_CALL_FAILED = "provider-call-failed";
    static final String PROVIDER_UNAVAILABLE = "provider-unavailable";
    /** Reason codes for result 8 decided here, before a call, because a 24-hour cap was reached. */
    static final String CAP_PER_ID = "cap-per-id";
    static final String CAP_PER_NAME = "cap-per-name";

    private Results() {
    }

    /** Result 7 for a request rejected before any call; birthday, sex and region when its ID number was valid. */
    static VerificationResult local(VerificationRequest request, RequestValidation.Rejected rejection,
                                    Instant receivedAt, Instant completedAt) {
        IdNumber id = rejection.idNumber();
        return build(request, Outcome.INVALID_REQUEST, null, rejection.message(), rejection.reason(),
                id == null ? null : id.birthday().toString(), id == null ? null : id.sex().chinese(),
                id == null ? null : id.region().orElse(null), false, 0, VerificationResult.DECIDED_LOCALLY, null,
                receivedAt, completedAt);
    }

    /** Result 8 for a request refused before any call because one of the 24-hour caps was reached. */
    static VerificationResult capped(VerificationRequest request, String reason, Instant receivedAt,
                                     Instant completedAt) {
        return build(request, Outcome.THROTTLED, null, Outcome.THROTTLED.providerMessage(), reason, null, null, null,
                false, 0, VerificationResult.DECIDED_LOCALLY, null, receivedAt, completedAt);
    }

    /**
     * Result 9 for a request the worker itself failed on (an exception no one foresaw): not billed, and the
     * request is kept on the retryable dead letters beside it.
     */
    static VerificationResult internalError(VerificationRequest request, String what, Instant receivedAt,
                                            Instant completedAt) {
        return build(request, Outcome.FAILED, null, "the worker failed on this request (" + what
                        + "); it is kept on the retryable dead letters for a replay", FailedRecords.INTERNAL_ERROR,
                null, null, null, false, 0, VerificationResult.DECIDED_LOCALLY, null, receivedAt, completedAt);
    }

    static VerificationResult fromAnswer(VerificationRequest request, ProviderAnswer answer, int attempts,
                                         Instant receivedAt, Instant completedAt) {
        String by = VerificationResult.DECIDED_BY_PROVIDER;
        String providerId = answer.providerRequestId();
        if (answer instanceof ProviderAnswer.Verdict v) {
            return build(request, v.outcome(), v.match(), v.message(), null, v.birthday(), v.sex(), v.address(),
                    v.billed(), attempts, by, providerId, receivedAt, completedAt);
        }
        if (answer instanceof ProviderAnswer.Refused r) {
            return build(request, Outcome.INVALID_REQUEST, null, r.message(), r.reason(), null, null, null, false,
                    attempts, by, providerId, receivedAt, completedAt);
        }
        if (answer instanceof ProviderAnswer.Throttled t) {
            return build(request, Outcome.THROTTLED, null, t.message(), PROVIDER_THROTTLED, null, null, null, false,
                    attempts, by, providerId, receivedAt, completedAt);
        }
        return build(request, Outcome.FAILED, null, failureMessage(answer), failureReason(answer), null, null, null,
                false, attempts, by, providerId, receivedAt, completedAt);
    }

    /** True for answers whose request a later replay could still get verified: failures and throttling. */
    static boolean isRetryableFailure(ProviderAnswer answer) {
        return answer instanceof ProviderAnswer.TransientFailure || answer instanceof ProviderAnswer.ProviderUnavailable
                || answer instanceof ProviderAnswer.Throttled;
    }

    static String failureReason(ProviderAnswer answer) {
        return answer instanceof ProviderAnswer.ProviderUnavailable ? PROVIDER_UNAVAILABLE : PROVIDER_CALL_FAILED;
    }

    static String failureMessage(ProviderAnswer answer) {
        if (answer instanceof ProviderAnswer.TransientFailure f) {
            return f.message();
        }
        if (answer instanceof ProviderAnswer.ProviderUnavailable u) {
            return u.message();
        }
        throw new IllegalArgumentException("not a failure: " + answer.getClass().getSimpleName());
    }

    private static VerificationResult build(VerificationRequest request, Outcome outcome, Boolean match,
                                            String message, String reason, String birthday, String sex,
                                            String address, boolean billed, int attempts, String decidedBy,
                                            String providerRequestId, Instant receivedAt, Instant completedAt) {
        return new VerificationResult(request.requestId(), outcome.code(), outcome.outcomeName(), match, message,
                reason, Masking.name(request.name()), Masking.idNumber(request.idNumber()), birthday, sex, address,
                billed, attempts, decidedBy, providerRequestId, request.consentId(), request.source(), receivedAt,
                completedAt, request.metadata());
    }
}
