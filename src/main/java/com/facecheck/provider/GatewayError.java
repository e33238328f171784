package com.facecheck.provider;

import com.facecheck.identity.Masking;
import java.util.Locale;

/**
 * Answers made by the API gateway itself (they carry {@code X-Ca-Error-Code}/{@code X-Ca-Error-Message}), and
 * the rule for error statuses that came without a message to go by. docs/contracts.md lists every known answer
 * with its classification; a test holds the two together.
 */
final class GatewayError {

    private static final int MESSAGE_CHARS = 120;

    private GatewayError() {
    }

    static ProviderAnswer classify(int status, String code, String message, String requestId) {
        String safe = redact(message);
        String said = "gateway HTTP " + status + (code == null ? "" : " " + code) + (safe.isEmpty() ? "" : ": " + safe);
        String lower = safe.toLowerCase(Locale.ROOT);
        // By message first: throttling arrives as 403 or 429 depending on the gateway instance.
        if (lower.startsWith("throttled by")) {
            return new ProviderAnswer.Throttled(said, Billing.ofStatus(status), requestId);
        }
        // The gateway could not read this request's form body: other requests are not concerned.
        if (lower.startsWith("invalid request body")) {
            return new ProviderAnswer.Refused("gateway-rejected-request", said, Billing.ofStatus(status), requestId);
        }
        return byStatus(status, said, requestId);
    }

    /**
     * For an error status whatever its message: 5xx and 408 may pass, 413 is about this request's size, 429
     * is throttling, and every other 4xx is a configuration error. The gateway's 4xx answers that concern one
     * request are recognised by message before this; the rest (credentials, quota, subscription, a wrong path
     * or method, a parameter in the wrong place, an empty body where the worker always sends three fields) fail
     * every request alike, and so would any 4xx not known yet: retrying it would only spend the retries of
     * every request, so the safe default stops calling and alerts, naming the answer.
     *
     * @param said what was answered, already redacted: it becomes the result's and the alert's message
     */
    static ProviderAnswer byStatus(int status, String said, String requestId) {
        Billing billing = Billing.ofStatus(status);
        if (status == 429) {
            return new ProviderAnswer.Throttled(said, billing, requestId);
        }
        if (status == 413) {
            return new ProviderAnswer.Refused("image-too-large", "传入人像图片img字符串长度超限", billing, requestId);
        }
        // A proxy that timed out waiting for the request; the call itself may succeed when made again.
        if (status == 408 || status >= 500) {
            return new ProviderAnswer.TransientFailure(said, billing, requestId);
        }
        if (status >= 400) {
            return new ProviderAnswer.ProviderUnavailable(said, requestId);
        }
        // Not an error status (a redirect, a 2xx without the provider's answer): retried like any unreadable answer,
        // and billed when it was a 2xx.
        return new ProviderAnswer.TransientFailure(said, billing, requestId);
    }

    /**
     * {@code Invalid Signature, Server StringToSign:…} echoes the whole form body (name, ID number, photo):
     * everything after the colon goes.
     */
    static String redact(String message) {
        if (message == null) {
            return "";
        }
        int echo = message.toLowerCase(Locale.ROOT).indexOf("stringtosign");
        String kept = echo >= 0 ? message.substring(0, echo) + "StringToSign:<redacted>" : message;
        return Masking.excerpt(kept, MESSAGE_CHARS);
    }
}
