package com.facecheck.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.facecheck.contract.Json;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.identity.Masking;
import com.facecheck.testing.TestImages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

class SealedRequestTest {

    private static final String NAME = "李小龙";
    private static final String ID_NUMBER = "35020319900101123X";
    private static final String IMAGE = TestImages.jpegBase64(320, 400);
    private static final String URL = "https://photos.example.com/35020319900101123X.jpg";
    private static final JsonNode METADATA = Json.MAPPER.createObjectNode().put("channel", "app");

    private final Keyset keyset = Keyset.generate();
    private final ObjectMapper mapper = SealedRequest.mapper(new FieldCipher(keyset));

    @Test
    void everyFieldComesBackAndNoPersonalFieldIsReadableInTheRecord() throws Exception {
        VerificationRequest request = new VerificationRequest("r-1", NAME, ID_NUMBER, IMAGE, URL, "consent-9",
                "onboarding", METADATA);

        byte[] written = mapper.writeValueAsBytes(request);

        assertThat(mapper.readValue(written, VerificationRequest.class)).isEqualTo(request);
        String text = new String(written, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain(NAME, ID_NUMBER, IMAGE.substring(1000, 1040), "photos.example.com",
                "\\u674e");
        JsonNode readable = Json.MAPPER.readTree(written);
        assertThat(readable.path("requestId").asText()).isEqualTo("r-1");
        assertThat(readable.path("consentId").asText()).isEqualTo("consent-9");
        assertThat(readable.path("source").asText()).isEqualTo("onboarding");
        assertThat(readable.path("metadata")).isEqualTo(METADATA);
        assertThat(readable.path("masked").path("name").asText()).isEqualTo("李**");
        assertThat(readable.path("masked").path("idNumber").asText()).isEqualTo(Masking.idNumber(ID_NUMBER));
        assertThat(readable.path("masked").path("imageChars").asInt()).isEqualTo(IMAGE.length());
        assertThat(readable.path("masked").path("imageUrl").asText()).isEqualTo("present");
        assertThat(readable.path("sealed").path("keyId").asLong()).isEqualTo(Integer.toUnsignedLong(keyset.primaryId()));
    }

    @Test
    void aCanonicalPhotoIsSealedAsItsBytesSoTheRecordIsNoLargerThanInClear() throws Exception {
        VerificationRequest request = new VerificationRequest("r-2", NAME, ID_NUMBER, IMAGE, null, null, null, null);

        int sealed = mapper.writeValueAsBytes(request).length;
        int clear = Json.MAPPER.writeValueAsBytes(request).length;

        // The envelope's base64 stands for the photo's bytes, not for its base64 text: a third smaller than that.
        assertThat(sealed).isLessThan(clear + 300);
    }

    @Test
    void aPhotoThatIsNotCanonicalBase64ComesBackCharacterForCharacter() throws Exception {
        String wrapped = IMAGE.substring(0, 76) + "\n" + IMAGE.substring(76);
        // Line breaks, a data URI, a cut, stray bits in the last group ("QR==" decodes as "QQ=="), an early pad.
        String strayBits = IMAGE.substring(0, IMAGE.length() - 4) + "QR==";
        for (String image : new String[] {wrapped, "data:image/jpeg;base64," + IMAGE, IMAGE.substring(0, 10), "%%",
                strayBits, "QR==", "QQ==QQ==", "QUI=", "", "===="}) {
            VerificationRequest request = new VerificationRequest("r-3", NAME, ID_NUMBER, image, null, null, null, null);

            assertThat(mapper.readValue(mapper.writeValueAsBytes(request), VerificationRequest.class).image())
                    .isEqualTo(image);
        }
    }

    @Test
    void aRequestWithoutPersonalFieldsCarriesNoEnvelope() throws Exception {
        VerificationRequest idOnly = new VerificationRequest("r-4", null, null, null, null, null, null, null);

        JsonNode written = Json.MAPPER.readTree(mapper.writeValueAsBytes(idOnly));

        assertThat(written.has("sealed")).isFalse();
        assertThat(written.has("masked")).isFalse();
        assertThat(mapper.treeToValue(written, VerificationRequest.class)).isEqualTo(idOnly);
    }

    @Test
    void anEnvelopeMovedToAnotherRequestDoesNotOpenThere() throws Exception {
        JsonNode first = tree(new VerificationRequest("r-5", NAME, ID_NUMBER, IMAGE, null, null, null, null));
        ObjectNode second = tree(new VerificationRequest("r-6", "王五", "11010519491231002X", null, null, null, null,
                null));
        second.set("sealed", first.get("sealed"));

        assertThat(unopened(() -> mapper.treeToValue(second, VerificationRequest.class)))
                .hasMessageContaining("another record");
    }

    @Test
    void anEnvelopeThatIsNotBase64urlIsRefusedAsSuch() throws Exception {
        ObjectNode record = tree(new VerificationRequest("r-9", NAME, ID_NUMBER, null, null, null, null, null));
        ((ObjectNode) record.get("sealed")).put("fields", "AAAA+/==");

        assertThat(unopened(() -> mapper.treeToValue(record, VerificationRequest.class)))
                .hasMessageContaining("not base64url");
    }

    @Test
    void theEnvelopeIsWrittenAsUnpaddedBase64urlOfItsBytes() throws Exception {
        VerificationRequest request = new VerificationRequest("r-10", NAME, ID_NUMBER, IMAGE, null, null, null, null);
        SealedRequest sealed = SealedRequest.seal(request, new FieldCipher(keyset));

        assertThat(tree(request).path("sealed").path("fields").asText())
                .doesNotContain("=", "+", "/")
                .satisfies(text -> assertThat(Base64.getUrlDecoder().decode(text)).hasSameSizeAs(
                        sealed.sealed().fields()));
    }

    @Test
    void recordsSealedBeforeARotationOpenAfterItAndNewOnesUseTheNewKey() throws Exception {
        VerificationRequest request = new VerificationRequest("r-7", NAME, ID_NUMBER, IMAGE, null, null, null, null);
        byte[] old = mapper.writeValueAsBytes(request);
        Keyset added = keyset.withNewKey();
        int fresh = added.keys().stream().filter(k -> !k.primary()).findFirst().orElseThrow().id();
        ObjectMapper rotated = SealedRequest.mapper(new FieldCipher(added.promote(fresh)));

        assertThat(rotated.readValue(old, VerificationRequest.class)).isEqualTo(request);
        assertThat(Json.MAPPER.readTree(rotated.writeValueAsBytes(request)).path("sealed").path("keyId").asLong())
                .isEqualTo(Integer.toUnsignedLong(fresh));
    }

    @Test
    void withoutTheSealingKeyTheErrorNamesTheKeyAndNothingOfTheContent() throws Exception {
        byte[] written = mapper.writeValueAsBytes(new VerificationRequest("r-8", NAME, ID_NUMBER, null, null, null,
                null, null));
        ObjectMapper other = SealedRequest.mapper(new FieldCipher(Keyset.generate()));

        assertThat(unopened(() -> other.readValue(written, VerificationRequest.class)))
                .hasMessageContaining("sealed under key " + Integer.toUnsignedString(keyset.primaryId()))
                .hasMessageContaining("add it back")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(NAME, ID_NUMBER));
        // Without any keyset, the masked view is what can be shown.
        SealedRequest view = Json.MAPPER.readValue(written, SealedRequest.class);
        assertThat(view.masked().name()).isEqualTo("李**");
        assertThat(view.toString()).doesNotContain(NAME, ID_NUMBER);
    }

    /** The envelope's own failure, however deep the mapper wrapped it. */
    private static Throwable unopened(ThrowableAssert.ThrowingCallable reading) {
        Throwable thrown = catchThrowable(reading);
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof FieldCipher.UnopenedEnvelope) {
                return t;
            }
        }
        throw new AssertionError("expected an envelope that does not open, got " + thrown);
    }

    private ObjectNode tree(VerificationRequest request) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(mapper.writeValueAsBytes(request));
    }
}
