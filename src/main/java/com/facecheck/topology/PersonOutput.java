package com.facecheck.topology;

import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;

/** What serving a person writes: results, claims and give-backs for the name stage, and retryable dead letters. */
public sealed interface PersonOutput permits PersonOutput.Result, NameClaim, PersonOutput.DeadLetter {

    /** The request's one result, for the topic of its code. */
    record Result(VerificationResult result) implements PersonOutput {
    }

    /** The whole request, photo included, for a replay; its record's headers say why. */
    record DeadLetter(VerificationRequest request) implements PersonOutput {
    }
}
