package com.facecheck.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class FieldCipherTest {

    private static final String ID_NUMBER = "35020319900101123X";
    private static final String REQUEST = "req-0001";

    @Test
    void aFieldOpensForItsRequestAndIsNotReadableInTheEnvelope() {
        FieldCipher cipher = new FieldCipher(Keyset.generate());

        String envelope = cipher.encrypt(ID_NUMBER, REQUEST);

        assertThat(envelope).doesNotContain(ID_NUMBER).matches("[A-Za-z0-9_-]+");
        assertThat(cipher.decrypt(envelope, REQUEST)).isEqualTo(ID_NUMBER);
        assertThat(cipher.decrypt(cipher.encrypt("李三", REQUEST), REQUEST)).isEqualTo("李三");
    }

    @Test
    void theSameFieldSealsDifferentlyEachTime() {
        FieldCipher cipher = new FieldCipher(Keyset.generate());

        assertThat(cipher.encrypt(ID_NUMBER, REQUEST)).isNotEqualTo(cipher.encrypt(ID_NUMBER, REQUEST));
    }

    @Test
    void anEnvelopeDoesNotOpenForAnotherRequest() {
        FieldCipher cipher = new FieldCipher(Keyset.generate());
        String envelope = cipher.encrypt(ID_NUMBER, REQUEST);

        assertThatThrownBy(() -> cipher.decrypt(envelope, "req-0002"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another request")
                .hasMessageNotContaining(ID_NUMBER);
    }

    @Test
    void anAlteredEnvelopeDoesNotOpen() {
        FieldCipher cipher = new FieldCipher(Keyset.generate());
        byte[] bytes = Base64.getUrlDecoder().decode(cipher.encrypt(ID_NUMBER, REQUEST));
        bytes[bytes.length - 1] ^= 1;

        assertThatThrownBy(() -> cipher.decrypt(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), REQUEST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("altered");
    }

    @Test
    void theEnvelopeNamesItsKey() {
        Keyset keyset = Keyset.generate();

        assertThat(FieldCipher.keyId(new FieldCipher(keyset).encrypt(ID_NUMBER, REQUEST))).isEqualTo(keyset.primaryId());
    }

    @Test
    void recordsSealedUnderAnOldKeyOpenAfterARotation() {
        Keyset before = Keyset.generate();
        String old = new FieldCipher(before).encrypt(ID_NUMBER, REQUEST);
        Keyset added = before.withNewKey();
        int newKey = added.keys().stream().filter(k -> !k.primary()).findFirst().orElseThrow().id();

        FieldCipher after = new FieldCipher(Keyset.parse(added.promote(newKey).toJson()));
        String fresh = after.encrypt(ID_NUMBER, REQUEST);

        assertThat(after.decrypt(old, REQUEST)).isEqualTo(ID_NUMBER);
        assertThat(FieldCipher.keyId(fresh)).isEqualTo(newKey).isNotEqualTo(before.primaryId());
    }

    @Test
    void aKeyLeftOutOfTheKeysetIsNamedWhenItsRecordDoesNotOpen() {
        Keyset sealing = Keyset.generate();
        String envelope = new FieldCipher(sealing).encrypt(ID_NUMBER, REQUEST);

        assertThatThrownBy(() -> new FieldCipher(Keyset.generate()).decrypt(envelope, REQUEST))
                .hasMessageContaining("key " + Integer.toUnsignedString(sealing.primaryId()))
                .hasMessageContaining("add it back");
    }

    @Test
    void textThatIsNoEnvelopeIsRefusedAsSuch() {
        FieldCipher cipher = new FieldCipher(Keyset.generate());

        assertThatThrownBy(() -> cipher.decrypt(ID_NUMBER + "!", REQUEST)).hasMessageContaining("not base64url");
        assertThatThrownBy(() -> cipher.decrypt("AAAA", REQUEST)).hasMessageContaining("does not start with a key id");
    }

    @Test
    void aFieldIsNeverSealedWithoutARequestId() {
        FieldCipher cipher = new FieldCipher(Keyset.generate());

        assertThatThrownBy(() -> cipher.encrypt(ID_NUMBER, "")).hasMessageContaining("request id");
    }
}
