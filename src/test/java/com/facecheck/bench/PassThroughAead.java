package com.facecheck.bench;

import com.google.crypto.tink.Aead;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * An AEAD that encrypts nothing, for benchmarks only: it puts the plaintext where Tink's AES-256-GCM puts the
 * ciphertext, behind the same five-byte prefix (version byte 1, then the key id) and between zero bytes where the
 * 12-byte nonce and the 16-byte tag go. A record sealed with it has exactly the size and form it has under a keyset
 * whose primary key has the same id, so that comparing the two measures the cryptography alone. The associated data
 * is ignored: binding it is part of what is measured.
 */
final class PassThroughAead implements Aead {

    private static final byte PREFIX_VERSION = 1;
    private static final int PREFIX_BYTES = 5;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    private static final int OVERHEAD = PREFIX_BYTES + NONCE_BYTES + TAG_BYTES;

    private final int keyId;

    /** @param keyId written in front of every envelope, as the real keyset's primary key id would be */
    PassThroughAead(int keyId) {
        this.keyId = keyId;
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
        return ByteBuffer.allocate(plaintext.length + OVERHEAD).put(PREFIX_VERSION).putInt(keyId)
                .position(PREFIX_BYTES + NONCE_BYTES).put(plaintext).array();
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        // As with any AEAD, what it cannot have written does not open.
        if (ciphertext.length < OVERHEAD || ciphertext[0] != PREFIX_VERSION
                || ByteBuffer.wrap(ciphertext, 1, Integer.BYTES).getInt() != keyId) {
            throw new GeneralSecurityException("not an envelope of this pass-through AEAD");
        }
        return Arrays.copyOfRange(ciphertext, PREFIX_BYTES + NONCE_BYTES, ciphertext.length - TAG_BYTES);
    }
}
