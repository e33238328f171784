package com.facecheck.provider;

import com.facecheck.contract.Outcome;

/**
 * Every answer the gateway and provider can give, reduced to what the worker must do about it. The
 * topology switches over this type; nothing downstream looks at HTTP statuses or headers.
 */
public sealed interface ProviderAnswer {

    /** {@code X-Ca-Request-Id} of the call, the id the vendor's support asks for; null when none came back. */
    String providerRequestId();

    /** A verdict on the person (codes 0–6). Billed when the HTTP status was 200. */
    record Verdict(Outcome outcome, Boolean match, String message, String birthday, String sex, String address,
                   boolean billed, String providerRequestId) implements ProviderAnswer {
    }

    /** The provider refused the request as sent (HTTP 666, {@code ok=0}): final, not billed, never retried. */
    record Refused(String reason, String message, String providerRequestId) implements ProviderAnswer {
    }

    /** Too frequent for the provider or the gateway (error 8, {@code Throttled by …}): try again later. */
    record Throttled(String message, String providerRequestId) implements ProviderAnswer {
    }

    /** The call failed for a reason that may pass (5xx, timeouts, resets, unreadable answers). */
    record TransientFailure(String message, String providerRequestId) implements ProviderAnswer {
    }

    /**
     * No call can succeed until someone acts: quota spent or expired, arrears, wrong credentials, signing
     * errors. Calling again per request only burns time; the worker must stop and alert.
     */
    record ProviderUnavailable(String message, String providerRequestId) implements ProviderAnswer {
    }
}
