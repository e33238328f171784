package com.facecheck.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.facecheck.contract.Json;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.Keyset;
import com.facecheck.crypto.SealedRequest;
import com.facecheck.testing.TestImages;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The benchmarks compare the cryptography alone only if the pass-through writes what the keyset writes. */
class PassThroughAeadTest {

    private static final String ID_NUMBER = "35020319900101123X";
    private static final VerificationRequest REQUEST = new VerificationRequest("req-0001", "李三", ID_NUMBER,
            TestImages.jpegBase64(64, 80), "https://photos.example/a.jpg", "c-1", "test", null);

    @Test
    void aRecordHasTheSizeAndFormItHasUnderTheKeysetButTheFieldsInClear() throws Exception {
        Keyset keyset = Keyset.generate();
        ObjectMapper encrypting = SealedRequest.mapper(new FieldCipher(keyset));
        ObjectMapper passing = SealedRequest.mapper(new FieldCipher(new PassThroughAead(keyset.primaryId())));

        byte[] encrypted = encrypting.writeValueAsBytes(REQUEST);
        byte[] passed = passing.writeValueAsBytes(REQUEST);

        assertThat(passed).hasSameSizeAs(encrypted);
        ObjectNode encryptedTree = (ObjectNode) Json.MAPPER.readTree(encrypted);
        ObjectNode passedTree = (ObjectNode) Json.MAPPER.readTree(passed);
        String passedFields = passedTree.path("sealed").path("fields").asText();
        ((ObjectNode) encryptedTree.path("sealed")).remove("fields");
        ((ObjectNode) passedTree.path("sealed")).remove("fields");
        assertThat(passedTree).isEqualTo(encryptedTree);
        assertThat(new String(Base64.getUrlDecoder().decode(passedFields), StandardCharsets.UTF_8)).contains(ID_NUMBER);
        assertThat(passing.readValue(passed, VerificationRequest.class)).isEqualTo(REQUEST);
    }

    @Test
    void anEnvelopeUnderAnotherKeyIdDoesNotOpen() {
        byte[] envelope = new PassThroughAead(1).encrypt(new byte[]{42}, new byte[0]);

        assertThatThrownBy(() -> new PassThroughAead(2).decrypt(envelope, new byte[0]))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> new PassThroughAead(1).decrypt(new byte[envelope.length], new byte[0]))
                .isInstanceOf(GeneralSecurityException.class);
    }
}
