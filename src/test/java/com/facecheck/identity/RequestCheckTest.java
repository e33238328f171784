package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.VerificationRequest;
import org.junit.jupiter.api.Test;

class RequestCheckTest {

    private final RequestCheck check = new RequestCheck();

    private static VerificationRequest request(String name, String id, String image, String url) {
        return new VerificationRequest("r", name, id, image, url, null, null, null);
    }

    @Test
    void aCompleteRequestPasses() {
        assertThat(check.check(request("李三", "35020319900101123X", "/9j/4AAQ", null))).isEmpty();
        assertThat(check.check(request("李三", "35020319900101123X", null, "https://x/y.jpg"))).isEmpty();
    }

    @Test
    void eachMissingFieldIsNamedInTheProvidersWords() {
        assertThat(check.check(request(" ", "35020319900101123X", "i", null))).get()
                .isEqualTo(new RequestCheck.Rejection("missing-name", "未传入真实姓名xm"));
        assertThat(check.check(request("李三", null, "i", null))).get()
                .isEqualTo(new RequestCheck.Rejection("missing-id-number", "未传入身份证号码sfz"));
        assertThat(check.check(request("李三", "35020319900101123X", null, " "))).get()
                .isEqualTo(new RequestCheck.Rejection("missing-image", "未传入人像图片img"));
    }

    @Test
    void overLongFieldsAreRefusedBeforeTheProviderDoes() {
        assertThat(check.check(request("李".repeat(51), "35020319900101123X", "i", null))).get()
                .extracting(RequestCheck.Rejection::reason).isEqualTo("name-too-long");
        assertThat(check.check(request("李三", "3502031990010112345", "i", null))).get()
                .extracting(RequestCheck.Rejection::reason).isEqualTo("id-number-too-long");
        assertThat(check.check(request("李三", "35020319900101123X", "A".repeat(100 * 1024 + 1), null))).get()
                .extracting(RequestCheck.Rejection::reason).isEqualTo("image-too-large");
        assertThat(check.check(request("李".repeat(50), "35020319900101123X", "A".repeat(100 * 1024), null))).isEmpty();
    }
}
