package com.facecheck.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The marketplace AppCode. Its {@code toString()} is redacted, so it can sit in a config object that gets
 * logged without leaking.
 */
public final class AppCode {

    public static final String ENV = "FACECHECK_APPCODE";
    public static final String FILE_ENV = "FACECHECK_APPCODE_FILE";

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

    /**
     * From {@value #ENV}, or from the file named by {@value #FILE_ENV} (the usual way to mount a secret).
     *
     * @throws IllegalArgumentException naming the variables to set; never the value
     */
    public static AppCode fromEnvironment(Map<String, String> env) {
        String direct = env.get(ENV);
        if (direct != null && !direct.isBlank()) {
            return of(direct);
        }
        String file = env.get(FILE_ENV);
        if (file != null && !file.isBlank()) {
            try {
                return of(Files.readString(Path.of(file.strip()), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalArgumentException(FILE_ENV + " names a file that cannot be read (" + file.strip()
                        + "): " + e.getClass().getSimpleName());
            }
        }
        throw new IllegalArgumentException("no AppCode: set " + ENV + ", or " + FILE_ENV + " to a file holding it");
    }

    String authorizationHeader() {
        return "APPCODE " + value;
    }

    boolean matchesAuthorization(String header) {
        return header != null && java.security.MessageDigest.isEqual(
                header.strip().getBytes(StandardCharsets.UTF_8), authorizationHeader().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "AppCode[redacted]";
    }
}
