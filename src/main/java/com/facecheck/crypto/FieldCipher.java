package com.facecheck.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.RegistryConfiguration;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Seals one field of personal data for a record that rests in Kafka. The envelope is compact text: unpadded
 * base64url of Tink's ciphertext, whose first five bytes are a version byte and the sealing key's id, so any
 * instance holding that key opens it after the primary key has moved on. The record's request id is the associated
 * data: an envelope copied into another request's record does not open there.
 */
public final class FieldCipher {

    /** Tink's output prefix: one version byte, then the four-byte key id. */
    private static final int PREFIX_BYTES = 5;
    private static final byte TINK_PREFIX_VERSION = 1;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final Aead aead;

    public FieldCipher(Keyset keyset) {
        try {
            this.aead = keyset.handle().getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the keyset cannot seal data in this JVM", e);
        }
    }

    /** The envelope of {@code plaintext} sealed under the primary key, bound to {@code requestId}. */
    public String encrypt(String plaintext, String requestId) {
        try {
            return ENCODER.encodeToString(aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), aad(requestId)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a field failed", e);
        }
    }

    /**
     * The text sealed in {@code envelope} for {@code requestId}.
     *
     * @throws IllegalArgumentException naming the sealing key's id and what to check; never any content
     */
    public String decrypt(String envelope, String requestId) {
        byte[] ciphertext = bytes(envelope);
        try {
            return new String(aead.decrypt(ciphertext, aad(requestId)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the envelope sealed under key " + Integer.toUnsignedString(keyId(ciphertext))
                    + " does not open for this request: either that key is no longer in the keyset (add it back to read"
                    + " the record), or the envelope belongs to another request or was altered");
        }
    }

    /** The id of the key that sealed {@code envelope}: what an operator looks for in {@code keys list}. */
    public static int keyId(String envelope) {
        return keyId(bytes(envelope));
    }

    private static int keyId(byte[] ciphertext) {
        return ByteBuffer.wrap(ciphertext, 1, Integer.BYTES).getInt();
    }

    private static byte[] bytes(String envelope) {
        byte[] ciphertext;
        try {
            ciphertext = DECODER.decode(envelope);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a sealed field: the envelope is not base64url text");
        }
        if (ciphertext.length <= PREFIX_BYTES || ciphertext[0] != TINK_PREFIX_VERSION) {
            throw new IllegalArgumentException("not a sealed field: the envelope does not start with a key id");
        }
        return ciphertext;
    }

    private static byte[] aad(String requestId) {
        if (requestId == null || requestId.isEmpty()) {
            // Without a request id the envelope could be moved between records unnoticed.
            throw new IllegalArgumentException("a sealed field needs its record's request id");
        }
        return requestId.getBytes(StandardCharsets.UTF_8);
    }
}
