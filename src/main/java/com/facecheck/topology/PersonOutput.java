package com.facecheck.topology;

import com.facecheck.contract.AuditRecord;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;

/**
 * What serving a person writes: results with their audit records, claims and give-backs for the name stage, and
 * retryable dead letters.
 */
public sealed interface PersonOutput permits PersonOutput.Result, PersonOutput.Audit, NameClaim,
        PersonOutput.DeadLetter {

    /** The request's one result, for the topic of its code. */
    record Result(VerificationResult result) implements PersonOutput {
    }

    /**
     * The audit record of a result, forwarded right after it as a record of its own: a failure on the way out costs
     * either one alone, and {@link FailedRecords} writes that one as it was, so each is written exactly once.
     */
    record Audit(AuditRecord record) implements PersonOutput {
    }

    /** The whole request, photo included, for a replay; its record's headers say why. */
    record DeadLetter(VerificationRequest request) implements PersonOutput {
    }
}
