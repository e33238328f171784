package com.facecheck.provider;

import com.facecheck.identity.Masking;
import java.util.List;
import java.util.Locale;

/**
 * Answers made by the API gateway itself (they carry {@code X-Ca-Error-Code}/{@code X-Ca-Error-Message}).
 * Classified by message first, because throttling arrives as 403 or 429 depending on the gateway instance.
 */
final class GatewayError {

    private static final int MESSAGE_CHARS = 120;

    /** Messages that mean no call can succeed until someone renews, pays or fixes credentials. */
    private static final List<String> UNAVAILABLE = List.of(
            "quota exhausted", "quota expired", "expiry of authorization", "user arrears", "unauthorized",
            "invalid appcode", "invalid appkey", "invalid appsecret", "invalid signature", "empty signature",
            "timestamp expired", "invalid timestamp", "nonce used");

    private GatewayError() {
    }

    static ProviderAnswer classify(int status, String code, String message, String requestId) {
        String safe = redact(message);
        String said = "gateway HTTP " + status + (code == null ? "" : " " + code) + (safe.isEmpty() ? "" : ": " + safe);
        String lower = safe.toLowerCase(Locale.ROOT);
        if (lower.startsWith("throttled by") || status == 429) {
            return new ProviderAnswer.Throttled(said, requestId);
        }
        if (UNAVAILABLE.stream().anyMatch(lower::contains)) {
            return new ProviderAnswer.ProviderUnavailable(said, requestId);
        }
        if (status == 413) {
            return new ProviderAnswer.Refused("image-too-large", "传入人像图片img字符串长度超限", requestId);
        }
        if (status >= 500) {
            return new ProviderAnswer.TransientFailure(said, requestId);
        }
        if (status == 400 && (lower.contains("request body") || lower.contains("invalid url") || lower.contains("httpmethod"))) {
            return new ProviderAnswer.Refused("gateway-rejected-request", said, requestId);
        }
        return new ProviderAnswer.TransientFailure(said, requestId);
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
