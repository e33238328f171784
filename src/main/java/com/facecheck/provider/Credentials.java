package com.facecheck.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How calls prove who pays for them: the marketplace AppCode, or the gateway's AppKey/AppSecret signature.
 * Both produce only headers; neither value ever appears in a {@code toString()}, a log line or an exception.
 */
public sealed interface Credentials {

    /** Content type of every call: the provider takes a UTF-8 form body. */
    String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=UTF-8";
    String ACCEPT = "application/json";

    String APPCODE_ENV = "FACECHECK_APPCODE";
    String APPKEY_ENV = "FACECHECK_APPKEY";
    String APPSECRET_ENV = "FACECHECK_APPSECRET";
    /** Appended to a variable's name, names a file holding the value instead: the usual way to mount a secret. */
    String FILE_SUFFIX = "_FILE";

    /**
     * The AppCode from {@value #APPCODE_ENV}, else the AppKey/AppSecret pair from {@value #APPKEY_ENV} and
     * {@value #APPSECRET_ENV}; each may instead be in a file named by the same variable with {@code _FILE}.
     *
     * @throws IllegalArgumentException naming the variables to set, never a value
     */
    static Credentials fromEnvironment(Map<String, String> env) {
        Optional<String> appCode = secret(env, APPCODE_ENV);
        if (appCode.isPresent()) {
            return new AppCodeAuth(AppCode.of(appCode.get()));
        }
        Optional<String> appKey = secret(env, APPKEY_ENV);
        Optional<String> appSecret = secret(env, APPSECRET_ENV);
        if (appKey.isPresent() && appSecret.isPresent()) {
            return new SignatureAuth(appKey.get(), appSecret.get());
        }
        if (appKey.isPresent() || appSecret.isPresent()) {
            throw new IllegalArgumentException("signature mode needs both " + APPKEY_ENV + " and " + APPSECRET_ENV
                    + " (or their " + FILE_SUFFIX + " variants); only one is set");
        }
        throw new IllegalArgumentException("no provider credentials: set " + APPCODE_ENV + ", or " + APPKEY_ENV
                + " and " + APPSECRET_ENV + " (each may be given as a file with " + FILE_SUFFIX + ")");
    }

    /**
     * The secret in variable {@code name}, else in the file that {@code name} with {@value #FILE_SUFFIX} names;
     * empty when neither is set.
     *
     * @throws IllegalArgumentException naming the variable whose file cannot be read, never a value
     */
    static Optional<String> secret(Map<String, String> env, String name) {
        String direct = env.get(name);
        if (direct != null && !direct.isBlank()) {
            return Optional.of(direct.strip());
        }
        String file = env.get(name + FILE_SUFFIX);
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(Path.of(file.strip()), StandardCharsets.UTF_8).strip())
                    .filter(value -> !value.isEmpty());
        } catch (IOException e) {
            throw new IllegalArgumentException(name + FILE_SUFFIX + " names a file that cannot be read ("
                    + file.strip() + "): " + e.getClass().getSimpleName());
        }
    }

    /** The headers that authenticate one call of {@code method} on {@code path} with this form body. */
    Map<String, String> headers(String method, String path, Map<String, String> form);

    /** {@code Authorization: APPCODE <code>}. */
    record AppCodeAuth(AppCode appCode) implements Credentials {
        @Override
        public Map<String, String> headers(String method, String path, Map<String, String> form) {
            return Map.of("Authorization", appCode.authorizationHeader());
        }
    }

    /**
     * The gateway's HMAC-SHA256 signature over method, standard headers, the {@code X-Ca-*} headers and the
     * path with its form parameters.
     */
    final class SignatureAuth implements Credentials {

        private final String appKey;
        private final byte[] appSecret;
        private final LongSupplier clock;
        private final Supplier<String> nonces;

        public SignatureAuth(String appKey, String appSecret) {
            this(appKey, appSecret, System::currentTimeMillis, () -> UUID.randomUUID().toString());
        }

        SignatureAuth(String appKey, String appSecret, LongSupplier clock, Supplier<String> nonces) {
            if (appKey == null || appKey.isBlank() || appSecret == null || appSecret.isBlank()) {
                throw new IllegalArgumentException("signature mode needs both an AppKey and an AppSecret");
            }
            this.appKey = appKey.strip();
            this.appSecret = appSecret.strip().getBytes(StandardCharsets.UTF_8);
            this.clock = clock;
            this.nonces = nonces;
        }

        @Override
        public Map<String, String> headers(String method, String path, Map<String, String> form) {
            TreeMap<String, String> signed = new TreeMap<>();
            signed.put("X-Ca-Key", appKey);
            signed.put("X-Ca-Nonce", nonces.get());
            signed.put("X-Ca-Signature-Method", "HmacSHA256");
            signed.put("X-Ca-Timestamp", Long.toString(clock.getAsLong()));
            Map<String, String> headers = new LinkedHashMap<>(signed);
            headers.put("X-Ca-Signature-Headers", String.join(",", signed.keySet()));
            headers.put("X-Ca-Signature", signature(appSecret, stringToSign(method, ACCEPT, FORM_CONTENT_TYPE, path, form, signed)));
            return headers;
        }

        /**
         * Method, Accept, Content-MD5 (empty: form bodies are not hashed), Content-Type and Date (empty), each
         * followed by a line feed; then one {@code name:value} line per signed header; then the path with the
         * form parameters sorted by name, values not URL-encoded.
         */
        public static String stringToSign(String method, String accept, String contentType, String path, Map<String, String> form,
                                   TreeMap<String, String> signed) {
            StringBuilder s = new StringBuilder();
            s.append(method.toUpperCase(Locale.ROOT)).append('\n')
                    .append(accept == null ? "" : accept).append('\n')
                    .append('\n')
                    .append(contentType == null ? "" : contentType).append('\n')
                    .append('\n');
            signed.forEach((name, value) -> s.append(name).append(':').append(value).append('\n'));
            s.append(path);
            if (!form.isEmpty()) {
                s.append('?');
                boolean first = true;
                for (Map.Entry<String, String> p : new TreeMap<>(form).entrySet()) {
                    s.append(first ? "" : "&").append(p.getKey());
                    if (p.getValue() != null && !p.getValue().isEmpty()) {
                        s.append('=').append(p.getValue());
                    }
                    first = false;
                }
            }
            return s.toString();
        }

        public static String signature(byte[] appSecret, String stringToSign) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(appSecret, "HmacSHA256"));
                return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        }

        public String appKey() {
            return appKey;
        }

        public String appSecret() {
            return new String(appSecret, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "SignatureAuth[appKey=redacted, appSecret=redacted]";
        }
    }
}
