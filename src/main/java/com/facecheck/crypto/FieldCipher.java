package com.facecheck.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.RegistryConfiguration;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

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


    private final Aead aead;

    public FieldCipher(Keyset keyset) {
        this(primitive(keyset));
    }

    /**
     * Seals with {@code aead} instead of a keyset's: any AEAD whose ciphertexts start with Tink's output prefix,
     * the version byte 1 and then a four-byte key id, as the envelope and its readers expect. It lets a benchmark
     * put an AEAD that does no cryptography in the keyset's place and measure the same records, byte for byte in
     * their form, without the cryptography's cost. The worker always seals with its keyset.
     */
    public FieldCipher(Aead aead) {
        this.aead = aead;
    }

    private static Aead primitive(Keyset keyset) {
        try {
            return keyset.handle().getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the keyset cannot seal data in this JVM", e);
        }
    }

    /**
     * Tink's ciphertext of {@code plaintext} under the primary key, bound to {@code context} (the record's request
     * id, or where the record was read): sealed bytes do not open for another record.
     */
    public byte[] seal(byte[] plaintext, String context) {
        try {
            return aead.encrypt(plaintext, aad(context));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a field failed", e);
        }
    }

    /**
     * The bytes sealed in {@code ciphertext} for {@code context}.
     *
     * @throws UnopenedEnvelope naming the sealing key's id and what to check; never any content
     */
    public byte[] open(byte[] ciphertext, String context) {
        requireKeyId(ciphertext);
        try {
            return aead.decrypt(ciphertext, aad(context));
        } catch (GeneralSecurityException e) {
            throw new UnopenedEnvelope("the envelope sealed under key "
                    + Integer.toUnsignedString(keyId(ciphertext)) + " does not open for this record: either that key"
                    + " is no longer in the keyset or is disabled (add it back to read the record), or the envelope"
                    + " belongs to another record or was altered");
        }
    }

    /** Why an envelope did not open; the message names the key, never any content. */
    public static final class UnopenedEnvelope extends IllegalArgumentException {
        UnopenedEnvelope(String message) {
            super(message);
        }
    }

    /** The id of the key that sealed {@code ciphertext}: what an operator looks for in {@code keys list}. */
    public static int keyId(byte[] ciphertext) {
        requireKeyId(ciphertext);
        return ByteBuffer.wrap(ciphertext, 1, Integer.BYTES).getInt();
    }

    private static void requireKeyId(byte[] ciphertext) {
        if (ciphertext == null || ciphertext.length <= PREFIX_BYTES || ciphertext[0] != TINK_PREFIX_VERSION) {
            throw new UnopenedEnvelope("not a sealed field: the envelope does not start with a key id");
        }
    }

    private static byte[] aad(String context) {
        if (context == null || context.isEmpty()) {
            // Without the record's identity the envelope could be moved between records unnoticed.
            throw new IllegalArgumentException("a sealed field needs its record's request id");
        }
        return context.getBytes(StandardCharsets.UTF_8);
    }
}
