package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.VerificationRequest;
import com.facecheck.testing.TestImages;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RequestValidationTest {

    private static final String IMAGE = TestImages.jpegBase64(320, 400);
    private final RequestValidation validation = new RequestValidation(new PhotoCheck(),
            Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC));

    private RequestValidation.Verdict validate(String name, String id, String image, String url) {
        return validation.validate(new VerificationRequest("r", name, id, image, url, "c", "s", null));
    }

    private String reason(String name, String id, String image, String url) {
        var verdict = validate(name, id, image, url);
        assertThat(verdict).isInstanceOf(RequestValidation.Rejected.class);
        return ((RequestValidation.Rejected) verdict).reason();
    }

    @Test
    void aValidRequestLeavesNormalisedInTheFormItIsSent() {
        var verdict = validate(" 阿依古丽.买买提 ", "６５０１０２１９８８０８０８６４２１", IMAGE, null);
        assertThat(verdict).isInstanceOfSatisfying(RequestValidation.Accepted.class, accepted -> {
            assertThat(accepted.request().name()).isEqualTo("阿依古丽·买买提");
            assertThat(accepted.request().idNumber()).isEqualTo("650102198808086421");
            assertThat(accepted.request().image()).isEqualTo(IMAGE);
            assertThat(accepted.request().consentId()).isEqualTo("c");
            assertThat(accepted.idNumber().birthday()).hasToString("1988-08-08");
            assertThat(accepted.photo().reencoded()).isFalse();
        });
    }

    @Test
    void aPhotoUrlIsSentAsItIs() {
        var verdict = validate("李三", "35020319900101123X", null, " https://photos.example.com/1.jpg ");
        assertThat(verdict).isInstanceOfSatisfying(RequestValidation.Accepted.class, accepted -> {
            assertThat(accepted.request().imageUrl()).isEqualTo("https://photos.example.com/1.jpg");
            assertThat(accepted.photo()).isNull();
        });
        assertThat(reason("李三", "35020319900101123X", null, "ftp://x/y.jpg")).isEqualTo("image-url-invalid");
    }

    @Test
    void missingFieldsComeFirstInTheProvidersOrderAndWords() {
        var verdict = (RequestValidation.Rejected) validate(null, null, null, null);
        assertThat(verdict.reason()).isEqualTo("missing-name");
        assertThat(verdict.message()).isEqualTo("未传入真实姓名xm");
        assertThat(reason("李三", " ", null, null)).isEqualTo("missing-id-number");
        assertThat(reason("李三", "35020319900101123X", "", null)).isEqualTo("missing-image");
    }

    @Test
    void eachKindOfBadFieldHasItsReason() {
        assertThat(reason("李3", "35020319900101123X", IMAGE, null)).isEqualTo("name-has-digits");
        assertThat(reason("李三", "350203199001011230", IMAGE, null)).isEqualTo("id-number-bad-check-character");
        assertThat(reason("李三", "35020319900101123X", "bm90IGFuIGltYWdl", null)).startsWith("image-");
    }

    @Test
    void aRejectionForTheNameStillReportsWhatTheValidIdNumberSays() {
        var verdict = (RequestValidation.Rejected) validate("测试*", "35020319900101123X", IMAGE, null);
        assertThat(verdict.reason()).isEqualTo("name-has-asterisk");
        assertThat(verdict.idNumber().sex()).isEqualTo(IdNumber.Sex.MALE);
    }
}
