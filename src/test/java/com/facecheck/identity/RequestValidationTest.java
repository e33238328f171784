package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Json;
import com.facecheck.contract.RequestParser;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.testing.TestImages;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidationTest {

    private static final String IMAGE = TestImages.jpegBase64(320, 400);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC);
    private final RequestValidation validation = new RequestValidation(new PhotoCheck(), CLOCK, true);

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
    void aValidIdNumberIsReportedWhateverElseIsMissingSoTheRequestKeepsItsPersonsTurn() {
        for (var verdict : new RequestValidation.Verdict[] {validate(" ", "35020319900101123x", IMAGE, null),
                validate("李三", "35020319900101123X", null, null)}) {
            assertThat(verdict).isInstanceOfSatisfying(RequestValidation.Rejected.class,
                    rejected -> assertThat(rejected.idNumber().normalized()).isEqualTo("35020319900101123X"));
        }
        assertThat(validate(null, "350203199001011230", IMAGE, null)).isInstanceOfSatisfying(
                RequestValidation.Rejected.class, rejected -> {
                    assertThat(rejected.reason()).isEqualTo("missing-name");
                    assertThat(rejected.idNumber()).isNull();
                });
    }

    @Test
    void aPhotoUrlIsSentInTheFormABrowserRequests() {
        var verdict = validate("李三", "35020319900101123X", null, " HTTPS://中国.example/p/a b.jpg ");
        assertThat(verdict).isInstanceOfSatisfying(RequestValidation.Accepted.class, accepted -> {
            assertThat(accepted.request().imageUrl()).isEqualTo("https://xn--fiqs8s.example/p/a%20b.jpg");
            assertThat(accepted.photo()).isNull();
        });
    }

    @Test
    void aPhotoUrlNoClientCouldFetchIsRejectedSayingWhichPartIsWrongWithoutQuotingIt() {
        for (String url : new String[] {"ftp://photos.example.com/1.jpg?sfz=35020319900101123X",
                "https://photos.example.com:65536/1.jpg?sfz=35020319900101123X", "https://?sfz=35020319900101123X"}) {
            var verdict = validate("李三", "35020319900101123X", null, url);
            assertThat(verdict).as(url).isInstanceOfSatisfying(RequestValidation.Rejected.class, rejected -> {
                assertThat(rejected.reason()).isEqualTo("image-url-invalid");
                assertThat(rejected.message()).isEqualTo("HTTP人像图片错误：下载失败");
                assertThat(rejected.detail()).isEqualTo(((PhotoUrls.Invalid) PhotoUrls.check(url)).detail())
                        .doesNotContain("photos.example.com").doesNotContain("35020319900101123X");
            });
        }
    }

    /** The case as copied from the shared real-world cases, with what they expect of it. */
    private static JsonNode realWorld(String file, String requestId) throws Exception {
        try (InputStream in = RequestValidationTest.class.getResourceAsStream("/cases/real-world/" + file)) {
            assertThat(in).as(file).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (file.endsWith(".json")) {
                return Json.MAPPER.readTree(text).get(requestId);
            }
            for (String line : text.split("\n")) {
                JsonNode request = Json.MAPPER.readTree(line);
                if (request.path("requestId").asText().equals(requestId)) {
                    return request;
                }
            }
            return null;
        }
    }

    @Test
    void realWorldCaseRwUnderscoreHostIsAcceptedAndItsUrlSentUnchanged() throws Exception {
        JsonNode request = realWorld("requests.jsonl", "rw-underscore-host");
        JsonNode expected = realWorld("expected.json", "rw-underscore-host");
        String url = request.get("imageUrl").asText();
        var verdict = validate(request.get("name").asText(), request.get("idNumber").asText(), null, url);
        assertThat(verdict instanceof RequestValidation.Accepted).as(expected.path("note").asText())
                .isEqualTo(expected.get("ok").asBoolean());
        assertThat(((RequestValidation.Accepted) verdict).request().imageUrl()).isEqualTo(url);
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
    void aRequestWithoutConsentIsRejectedBeforeAnythingElseIsJudgedKeepingItsPersonsTurn() {
        for (String consent : new String[] {null, "", " \u3000", "\u200B"}) {
            var verdict = validation.validate(new VerificationRequest("r", null, "35020319900101123X", null, null,
                    consent, "s", null));
            assertThat(verdict).as("consent %s", consent).isInstanceOfSatisfying(RequestValidation.Rejected.class,
                    rejected -> {
                        assertThat(rejected.reason()).isEqualTo("missing-consent");
                        assertThat(rejected.message()).isEqualTo("未传入个人信息处理同意编号consentId");
                        assertThat(rejected.detail()).contains("no consentId").contains("requests.require-consent");
                        assertThat(rejected.idNumber().normalized()).isEqualTo("35020319900101123X");
                    });
        }
    }

    @Test
    void whenConsentIsNotRequiredARequestWithoutOneIsCheckedLikeAnyOther() {
        var lenient = new RequestValidation(new PhotoCheck(), CLOCK, false);
        assertThat(lenient.validate(new VerificationRequest("r", "李三", "35020319900101123X", IMAGE, null, null, "s",
                null))).isInstanceOf(RequestValidation.Accepted.class);
        assertThat(lenient.validate(new VerificationRequest("r", null, "35020319900101123X", IMAGE, null, " ", "s",
                null))).isInstanceOfSatisfying(RequestValidation.Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo("missing-name"));
    }

    @Test
    void aFieldOfOnlyInvisibleCharactersOrOddSpacesIsMissingNotMalformed() {
        assertThat(reason("李三", "\u200B\u00A0", null, null)).isEqualTo("missing-id-number");
        assertThat(reason("\u3000\u200D", "35020319900101123X", null, null)).isEqualTo("missing-name");
        assertThat(reason("李三", "35020319900101123X", "\uFEFF ", "\u2060")).isEqualTo("missing-image");
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

    @Test
    void theBirthDateIsJudgedOnBeijingsCalendarWhateverTheClocksZone() {
        // 20:00 UTC on 29 November is already 04:00 on 30 November in Beijing
        var lateEvening = new RequestValidation(new PhotoCheck(),
                Clock.fixed(Instant.parse("2026-11-29T20:00:00Z"), ZoneOffset.UTC), true);
        String bornThatDay = "11010520261130002";
        String bornNextDay = "11010520261201002";
        assertThat(lateEvening.validate(new VerificationRequest("r", "李三",
                bornThatDay + CheckCharacter.of(bornThatDay), IMAGE, null, "c", "s", null)))
                .isInstanceOf(RequestValidation.Accepted.class);
        var tooEarly = lateEvening.validate(new VerificationRequest("r", "李三",
                bornNextDay + CheckCharacter.of(bornNextDay), IMAGE, null, "c", "s", null));
        assertThat(tooEarly).isInstanceOfSatisfying(RequestValidation.Rejected.class, rejected ->
                assertThat(rejected.reason()).isEqualTo("id-number-birth-date-in-future"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rw-ideographic-zero", "rw-curly-apostrophe", "rw-unicode-hyphen", "rw-compat-ideograph",
            "rw-zero-width-after-x", "rw-taiwan-permit"})
    void realWorldCasesAreDecidedAsExpected(String requestId) throws IOException {
        JsonNode expected = Json.MAPPER.readTree(realWorld("expected.json")).path(requestId);
        assertThat(expected.path("ok").isBoolean()).as("expected.json has " + requestId).isTrue();
        var verdict = validation.validate(realWorldRequest(requestId));
        String outcome = verdict instanceof RequestValidation.Rejected rejected ? rejected.detail() : "accepted";
        assertThat(verdict instanceof RequestValidation.Accepted).as("%s: %s", requestId, outcome)
                .isEqualTo(expected.path("ok").asBoolean());
        if (verdict instanceof RequestValidation.Accepted accepted) {
            if (expected.has("sentNameStartsWith")) {
                assertThat(accepted.request().name()).startsWith(expected.path("sentNameStartsWith").asText());
            }
            if (expected.has("regionContains")) {
                assertThat(accepted.idNumber().region()).hasValueSatisfying(region ->
                        assertThat(region).contains(expected.path("regionContains").asText()));
            }
        }
    }

    private static VerificationRequest realWorldRequest(String requestId) throws IOException {
        var parser = new RequestParser(new KeyedHasher("real-world-cases-secret".getBytes(StandardCharsets.UTF_8)));
        for (String line : new String(realWorld("requests.jsonl"), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && Json.MAPPER.readTree(line).path("requestId").asText().equals(requestId)) {
                return parser.parse(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        throw new AssertionError("requests.jsonl has no " + requestId);
    }

    /** Copied from the shared real-world cases, which a fresh clone does not have. */
    private static byte[] realWorld(String file) throws IOException {
        try (InputStream in = RequestValidationTest.class.getResourceAsStream("/cases/real-world/" + file)) {
            assertThat(in).as(file).isNotNull();
            return in.readAllBytes();
        }
    }
}
