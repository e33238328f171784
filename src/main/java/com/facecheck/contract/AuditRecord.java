package com.facecheck.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * What the audit trail keeps of one decision, keyed by {@code requestId} on {@code facecheck.audit}: who asked, under
 * which consent, for whom (by {@code personId} only), what was decided, what it cost and which build decided it. It
 * is made from the result it accompanies, so the two cannot disagree, and like the result it never holds the name,
 * the ID number or the photo: the trail is kept for years, far longer than anything else the worker writes.
 *
 * @param personId      the result's keyed hash of the ID number; null when the request had no usable one
 * @param reason        the result's reason code; null for provider verdicts
 * @param billing       {@code billed}, {@code unbilled} or {@code unknown}, as on the result
 * @param workerVersion the version of the worker that decided
 * @param replayCount   how many times the request had been replayed from the dead letters before this decision
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditRecord(
        String requestId,
        String consentId,
        String source,
        String personId,
        int error,
        String outcome,
        String reason,
        String billing,
        int attempts,
        String providerRequestId,
        String decidedBy,
        Instant receivedAt,
        Instant completedAt,
        String workerVersion,
        int replayCount) {

    /** The audit record of a result the worker writes. */
    public static AuditRecord of(VerificationResult result, String workerVersion, int replayCount) {
        Objects.requireNonNull(workerVersion, "workerVersion");
        return new AuditRecord(result.requestId(), result.consentId(), result.source(), result.personId(),
                result.error(), result.outcome(), result.reason(), result.billing(), result.attempts(),
                result.providerRequestId(), result.decidedBy(), result.receivedAt(), result.completedAt(),
                workerVersion, replayCount);
    }
}
