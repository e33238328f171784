package com.facecheck.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The answer to one request, keyed by {@code requestId} on the topic of its {@link Outcome}. Of the person it
 * shows what {@link PersonFields} allows, masked; the photo is never part of a result.
 *
 * @param personId  a keyed hash of the ID number, the same for every request of the person; null when the request
 *                  had no usable ID number
 * @param region    the administrative region of the ID number
 * @param billing   {@code billed}, {@code unbilled} or {@code unknown}: what the call that decided the result cost
 * @param decidedBy {@code local} when the worker answered without calling the provider, else {@code provider}
 * @param reason    a machine-readable reason beside the human {@code message}, for results decided locally or
 *                  after failures (e.g. {@code missing-name}); null for provider verdicts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerificationResult(
        String requestId,
        int error,
        String outcome,
        Boolean match,
        String message,
        String reason,
        String personId,
        String name,
        String idNumber,
        String birthday,
        String sex,
        String region,
        String billing,
        int attempts,
        String decidedBy,
        String providerRequestId,
        String consentId,
        String source,
        Instant receivedAt,
        Instant completedAt,
        JsonNode metadata) {

    public static final String DECIDED_LOCALLY = "local";
    public static final String DECIDED_BY_PROVIDER = "provider";

    public Outcome outcomeEnum() {
        return Outcome.ofCode(error).orElseThrow(() -> new IllegalStateException("no outcome for code " + error));
    }
}
