package com.facecheck.topology;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.facecheck.contract.VerificationRequest;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.Keyset;
import com.facecheck.crypto.SealedRequest;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    private static final String NAME = "李小龙";
    private static final String ID_NUMBER = "35020319900101123X";

    @Test
    void aRecordSealedUnderAKeyTheWorkerLacksIsRefusedNamingTheKeyAndNothingOfTheRecord() {
        Keyset writers = Keyset.generate();
        CheckedRequest checked = new CheckedRequest("person", "name", new VerificationRequest("r-1", NAME, ID_NUMBER,
                null, null, null, null, null), null, "requests", 0, 7, 0, 0);
        byte[] bytes = new JsonSerde<>(CheckedRequest.class, SealedRequest.mapper(new FieldCipher(writers)))
                .serializer().serialize("by-person", checked);

        var reader = new JsonSerde<>(CheckedRequest.class, SealedRequest.mapper(new FieldCipher(Keyset.generate())));

        assertThatThrownBy(() -> reader.deserializer().deserialize("by-person", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("the bytes on by-person are not a readable CheckedRequest")
                .hasMessageContaining("sealed under key " + Integer.toUnsignedString(writers.primaryId()))
                .hasMessageNotContaining(NAME).hasMessageNotContaining(ID_NUMBER)
                .hasNoCause();
    }
}
