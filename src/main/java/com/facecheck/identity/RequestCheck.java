package com.facecheck.identity;

import com.facecheck.contract.VerificationRequest;
import java.util.Optional;

/**
 * Decides, before any money is spent, whether a request can be sent to the provider at all. A rejection
 * carries the provider's own wording (so downstream sees the same text either way) and a machine-readable
 * reason code.
 */
public final class RequestCheck {

    /** Why a request was answered locally, in the provider's words where it has them. */
    public record Rejection(String reason, String message) {
    }

    public static final int MAX_NAME_CHARS = 50;
    public static final int MAX_ID_CHARS = 18;
    public static final int MAX_IMAGE_CHARS = 100 * 1024;

    public Optional<Rejection> check(VerificationRequest request) {
        if (isBlank(request.name())) {
            return reject("missing-name", "未传入真实姓名xm");
        }
        if (isBlank(request.idNumber())) {
            return reject("missing-id-number", "未传入身份证号码sfz");
        }
        if (isBlank(request.image()) && isBlank(request.imageUrl())) {
            return reject("missing-image", "未传入人像图片img");
        }
        if (request.name().strip().codePointCount(0, request.name().strip().length()) > MAX_NAME_CHARS) {
            return reject("name-too-long", "传入真实姓名xm字符串长度超限");
        }
        if (request.idNumber().strip().length() > MAX_ID_CHARS) {
            return reject("id-number-too-long", "传入身份证号码sfz字符串长度超限");
        }
        if (request.image() != null && request.image().length() > MAX_IMAGE_CHARS) {
            return reject("image-too-large", "传入人像图片img字符串长度超限");
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(String reason, String message) {
        return Optional.of(new Rejection(reason, message));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
