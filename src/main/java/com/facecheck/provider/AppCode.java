package com.facecheck.provider;

import java.nio.charset.StandardCharsets;

/**
 * The marketplace AppCode. Its {@code toString()} is redacted, so it can sit in a config object that gets
 * logged without leaking.
 */
public final class AppCode {

    private final String value;

    private AppCode(String value) {
        this.value = value;
    }

    public static AppCode of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the AppCode is empty");
        }
        String trimmed = value.strip();
        if (!trimmed.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the AppCode holds characters that cannot go into an HTTP header");
        }
        return new AppCode(trimmed);
    }

    String authorizationHeader() {
        return "APPCODE " + value;
    }

    public boolean matchesAuthorization(String header) {
        return header != null && java.security.MessageDigest.isEqual(
                header.strip().getBytes(StandardCharsets.UTF_8), authorizationHeader().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "AppCode[redacted]";
    }
}
