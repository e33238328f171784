package com.facecheck.testing;

import com.facecheck.app.Secrets;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.SealedRequest;
import com.facecheck.topology.DeadLetters;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Dead letters opened with the keyset of the workers in this test JVM, as an operator's tools open them. */
public final class Unsealed {

    private static final FieldCipher CIPHER = new FieldCipher(Secrets.processKeyset());

    private Unsealed() {
    }

    /** The request a retryable dead letter holds. */
    public static VerificationRequest request(ConsumerRecord<?, byte[]> deadLetter) {
        try {
            return SealedRequest.mapper(CIPHER).readValue(deadLetter.value(), VerificationRequest.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of the record a poison dead letter holds, as it was read; null when it had none. */
    public static byte[] poisonValue(ConsumerRecord<?, byte[]> deadLetter) {
        return deadLetter.value() == null ? null
                : CIPHER.open(deadLetter.value(), DeadLetters.poisonContext(deadLetter.headers(), "value"));
    }
}
