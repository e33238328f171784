package com.facecheck.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    private static final Map<String, String> FORM = Map.of("xm", "李三", "sfz", "35020319900101123X", "img", "/9j/4AAQ");

    @Test
    void theSignatureMatchesAnIndependentComputation() {
        var auth = new Credentials.SignatureAuth("203000000", "secret-for-tests", () -> 1764316800000L,
                () -> "c9f8e3a0-0000-4000-8000-000000000001");

        Map<String, String> headers = auth.headers("POST", "/facecheck", FORM);

        // Computed outside Java, with Python's hmac over the documented string to sign:
        // "POST\napplication/json\n\napplication/x-www-form-urlencoded; charset=UTF-8\n\n"
        // + the four X-Ca-* lines sorted by name + "/facecheck?img=/9j/4AAQ&sfz=35020319900101123X&xm=李三"
        assertThat(headers.get("X-Ca-Signature")).isEqualTo("uRgc4XsqyfcGuT+yqprQ5uwnYz/tJDFIAFQnObI2fOM=");
        assertThat(headers.get("X-Ca-Signature-Headers"))
                .isEqualTo("X-Ca-Key,X-Ca-Nonce,X-Ca-Signature-Method,X-Ca-Timestamp");
        assertThat(headers).containsEntry("X-Ca-Key", "203000000").containsEntry("X-Ca-Timestamp", "1764316800000")
                .containsEntry("X-Ca-Signature-Method", "HmacSHA256");
    }

    @Test
    void aChangedFormFieldChangesTheSignature() {
        var auth = new Credentials.SignatureAuth("k", "s", () -> 1L, () -> "n");
        String original = auth.headers("POST", "/facecheck", FORM).get("X-Ca-Signature");
        String changed = auth.headers("POST", "/facecheck", Map.of("xm", "李四", "sfz", "35020319900101123X", "img", "/9j/4AAQ"))
                .get("X-Ca-Signature");
        assertThat(changed).isNotEqualTo(original);
    }

    @Test
    void noCredentialShowsInText() {
        assertThat(new Credentials.SignatureAuth("key-123", "secret-456")).asString()
                .doesNotContain("key-123").doesNotContain("secret-456");
        assertThat(new Credentials.AppCodeAuth(AppCode.of("code-789"))).asString().doesNotContain("code-789");
    }
}
