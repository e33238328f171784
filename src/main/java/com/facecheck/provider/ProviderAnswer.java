package com.facecheck.provider;

import com.facecheck.contract.Outcome;

/**
 * Every answer the gateway and provider can give, reduced to what the worker must do about it. The
 * topology switches over this type; nothing downstream looks at HTTP statuses or headers.
 */
public sealed interface ProviderAnswer {

    /** {@code X-Ca-Request-Id} of the call, the id the vendor's support asks for; null when none came back. */
    String providerRequestId();

    /** Whether the call that gave this answer was billed: by its HTTP status, or unknown when none came back. */
    Billing billing();

    /**
     * A verdict on the person (codes 0–6).
     *
     * @param address the provider's {@code address}: the administrative region the ID number belongs to
     */
    record Verdict(Outcome outcome, Boolean match, String message, String birthday, String sex, String address,
                   String providerRequestId) implements ProviderAnswer {

        /** Only an HTTP 200 carries a verdict. */
        @Override
        public Billing billing() {
            return Billing.BILLED;
        }
    }

    /**
     * The request was refused as sent: by the provider ({@code ok=0}, with its HTTP 666, not billed) or by the
     * gateway. Final, never retried.
     */
    record Refused(String reason, String message, Billing billing, String providerRequestId) implements ProviderAnswer {
    }

    /** Too frequent for the provider or the gateway (error 8, {@code Throttled by …}): try again later. */
    record Throttled(String message, Billing billing, String providerRequestId) implements ProviderAnswer {
    }

    /** The call failed for a reason that may pass (5xx, timeouts, resets, unreadable answers). */
    record TransientFailure(String message, Billing billing, String providerRequestId) implements ProviderAnswer {
    }

    /**
     * No call can succeed until someone acts: quota spent or expired, arrears, wrong credentials, signing
     * errors. Calling again per request only burns time; the worker must stop and alert.
     */
    record ProviderUnavailable(String message, String providerRequestId) implements ProviderAnswer {

        /** The gateway says so with a 4xx status, or the worker without calling at all. */
        @Override
        public Billing billing() {
            return Billing.UNBILLED;
        }
    }
}
