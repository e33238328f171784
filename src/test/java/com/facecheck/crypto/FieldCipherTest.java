package com.facecheck.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FieldCipherTest {

    private static final String ID_NUMBER = "35020319900101123X";
    private static final String REQUEST = "req-0001";

    @Test
    void aFieldOpensForItsRequestAndIsNotReadableInTheEnvelope() {
        FieldCipher cipher = new FieldCipher(Keyset.generate());

        byte[] envelope = encrypt(cipher, ID_NUMBER, REQUEST);

        assertThat(new String(envelope, StandardCharsets.ISO_8859_1)).doesNotContain(ID_NUMBER);
        assertThat(decrypt(cipher, envelope, REQUEST)).isEqualTo(ID_NUMBER);
        assertThat(decrypt(cipher, encrypt(cipher, "李三", REQUEST), REQUEST)).isEqualTo("李三");
    }

    @Test
    void theSameFieldSealsDifferentlyEachTime() {
        FieldCipher cipher = new FieldCipher(Keyset.generate());

        assertThat(encrypt(cipher, ID_NUMBER, REQUEST)).isNotEqualTo(encrypt(cipher, ID_NUMBER, REQUEST));
    }

    @Test
    void anEnvelopeDoesNotOpenForAnotherRequest() {
        FieldCipher cipher = new FieldCipher(Keyset.generate());
        byte[] envelope = encrypt(cipher, ID_NUMBER, REQUEST);

        assertThatThrownBy(() -> decrypt(cipher, envelope, "req-0002"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another record")
                .hasMessageNotContaining(ID_NUMBER);
    }

    @Test
    void anAlteredEnvelopeDoesNotOpen() {
        FieldCipher cipher = new FieldCipher(Keyset.generate());
        byte[] bytes = encrypt(cipher, ID_NUMBER, REQUEST);
        bytes[bytes.length - 1] ^= 1;

        assertThatThrownBy(() -> decrypt(cipher, bytes, REQUEST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("altered");
    }

    @Test
    void theEnvelopeNamesItsKey() {
        Keyset keyset = Keyset.generate();

        assertThat(FieldCipher.keyId(encrypt(new FieldCipher(keyset), ID_NUMBER, REQUEST))).isEqualTo(keyset.primaryId());
    }

    @Test
    void recordsSealedUnderAnOldKeyOpenAfterARotation() {
        Keyset before = Keyset.generate();
        byte[] old = encrypt(new FieldCipher(before), ID_NUMBER, REQUEST);
        Keyset added = before.withNewKey();
        int newKey = added.keys().stream().filter(k -> !k.primary()).findFirst().orElseThrow().id();

        FieldCipher after = new FieldCipher(Keyset.parse(added.promote(newKey).toJson()));
        byte[] fresh = encrypt(after, ID_NUMBER, REQUEST);

        assertThat(decrypt(after, old, REQUEST)).isEqualTo(ID_NUMBER);
        assertThat(FieldCipher.keyId(fresh)).isEqualTo(newKey).isNotEqualTo(before.primaryId());
    }

    @Test
    void aKeyLeftOutOfTheKeysetIsNamedWhenItsRecordDoesNotOpen() {
        Keyset sealing = Keyset.generate();
        byte[] envelope = encrypt(new FieldCipher(sealing), ID_NUMBER, REQUEST);

        assertThatThrownBy(() -> decrypt(new FieldCipher(Keyset.generate()), envelope, REQUEST))
                .hasMessageContaining("key " + Integer.toUnsignedString(sealing.primaryId()))
                .hasMessageContaining("add it back");
    }

    @Test
    void bytesThatAreNoEnvelopeAreRefusedAsSuch() {
        FieldCipher cipher = new FieldCipher(Keyset.generate());

        assertThatThrownBy(() -> decrypt(cipher, new byte[3], REQUEST)).hasMessageContaining("does not start with a key id");
    }

    @Test
    void aFieldIsNeverSealedWithoutARequestId() {
        FieldCipher cipher = new FieldCipher(Keyset.generate());

        assertThatThrownBy(() -> encrypt(cipher, ID_NUMBER, "")).hasMessageContaining("request id");
    }

    private static byte[] encrypt(FieldCipher cipher, String text, String requestId) {
        return cipher.seal(text.getBytes(StandardCharsets.UTF_8), requestId);
    }

    private static String decrypt(FieldCipher cipher, byte[] envelope, String requestId) {
        return new String(cipher.open(envelope, requestId), StandardCharsets.UTF_8);
    }
}
