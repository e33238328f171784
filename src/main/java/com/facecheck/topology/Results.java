package com.facecheck.topology;

import com.facecheck.contract.Outcome;
import com.facecheck.contract.PersonFields;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.identity.IdNumber;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.identity.RequestValidation;
import com.facecheck.provider.Billing;
import com.facecheck.provider.ProviderAnswer;
import java.time.Instant;
import java.util.Objects;

/**
 * Builds results from requests: shows of the person what the configured fields allow, masked, and leaves the photo
 * behind.
 */
public final class Results {

    /** Reason codes for results the provider did not decide. */
    static final String PROVIDER_THROTTLED = "provider-throttled";
    static final String PROVIDER_CALL_FAILED = "provider-call-failed";
    static final String PROVIDER_UNAVAILABLE = "provider-unavailable";
    /** Reason codes for result 8 decided here, before a call, because a 24-hour cap was reached. */
    static final String CAP_PER_ID = "cap-per-id";
    static final String CAP_PER_NAME = "cap-per-name";

    private final PersonFields fields;
    private final KeyedHasher keys;

    /**
     * @param keys the worker's hash secret: personId stays the same across instances and restarts only under the
     *             same secret
     */
    public Results(PersonFields fields, KeyedHasher keys) {
        this.fields = Objects.requireNonNull(fields, "fields");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** Result 7 for a request rejected before any call; birthday, sex and region (when shown) from its ID number. */
    public VerificationResult local(VerificationRequest request, RequestValidation.Rejected rejection, Instant receivedAt,
                             Instant completedAt) {
        IdNumber id = rejection.idNumber();
        return build(request, id == null ? null : id.normalized(), Outcome.INVALID_REQUEST, null, rejection.message(),
                rejection.reason(), id == null ? null : id.birthday().toString(),
                id == null ? null : id.sex().chinese(), id == null ? null : id.region().orElse(null), Billing.UNBILLED,
                0, VerificationResult.DECIDED_LOCALLY, null, receivedAt, completedAt);
    }

    /** Result 8 for a request refused before any call because one of the 24-hour caps was reached. */
    VerificationResult capped(VerificationRequest request, String reason, Instant receivedAt, Instant completedAt) {
        return build(request, request.idNumber(), Outcome.THROTTLED, null, Outcome.THROTTLED.providerMessage(), reason,
                null, null, null, Billing.UNBILLED, 0, VerificationResult.DECIDED_LOCALLY, null, receivedAt,
                completedAt);
    }

    /**
     * Result 9 for a request the worker itself failed on (an exception no one foresaw): the request is kept on the
     * retryable dead letters beside it.
     */
    VerificationResult internalError(VerificationRequest request, String what, Billing billing, Instant receivedAt,
                                     Instant completedAt) {
        return build(request, request.idNumber(), Outcome.FAILED, null, "the worker failed on this request (" + what
                        + "); it is kept on the retryable dead letters for a replay", FailedRecords.INTERNAL_ERROR,
                null, null, null, billing, 0, VerificationResult.DECIDED_LOCALLY, null, receivedAt,
                completedAt);
    }

    public VerificationResult fromAnswer(VerificationRequest request, ProviderAnswer answer, int attempts,
                                  Instant receivedAt, Instant completedAt) {
        String by = VerificationResult.DECIDED_BY_PROVIDER;
        String providerId = answer.providerRequestId();
        String id = request.idNumber();
        if (answer instanceof ProviderAnswer.Verdict v) {
            return build(request, id, v.outcome(), v.match(), v.message(), null, v.birthday(), v.sex(), v.address(),
                    v.billing(), attempts, by, providerId, receivedAt, completedAt);
        }
        if (answer instanceof ProviderAnswer.Refused r) {
            return build(request, id, Outcome.INVALID_REQUEST, null, r.message(), r.reason(), null, null, null,
                    r.billing(), attempts, by, providerId, receivedAt, completedAt);
        }
        if (answer instanceof ProviderAnswer.Throttled t) {
            return build(request, id, Outcome.THROTTLED, null, t.message(), PROVIDER_THROTTLED, null, null, null,
                    t.billing(), attempts, by, providerId, receivedAt, completedAt);
        }
        return build(request, id, Outcome.FAILED, null, failureMessage(answer), failureReason(answer), null, null,
                null, answer.billing(), attempts, by, providerId, receivedAt, completedAt);
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

    /** @param idNumber the normalised ID number the personId is derived from; null when there was no usable one */
    private VerificationResult build(VerificationRequest request, String idNumber, Outcome outcome, Boolean match,
                                     String message, String reason, String birthday, String sex, String region,
                                     Billing billing, int attempts, String decidedBy, String providerRequestId,
                                     Instant receivedAt, Instant completedAt) {
        return new VerificationResult(request.requestId(), outcome.code(), outcome.outcomeName(), match, message,
                reason, idNumber == null ? null : PersonFields.personId(keys, idNumber), fields.name(request.name()),
                fields.idNumber(request.idNumber()), fields.birthday(birthday), fields.sex(sex), fields.region(region),
                billing.label(), attempts, decidedBy, providerRequestId, request.consentId(), request.source(),
                receivedAt, completedAt, request.metadata());
    }
}
