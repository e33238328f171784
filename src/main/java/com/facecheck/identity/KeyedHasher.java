package com.facecheck.identity;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under a configured secret. Names and ID numbers are low-entropy: a plain hash of them can be
 * reversed by trying every candidate, a keyed one cannot without the secret. Used wherever a value derived
 * from personal data must be stable across instances and restarts (derived request ids, state-store keys).
 */
public final class KeyedHasher {

    private static final String ALGORITHM = "HmacSHA256";
    public static final int MIN_SECRET_BYTES = 16;

    private final SecretKeySpec key;

    public KeyedHasher(byte[] secret) {
        requireUsable(secret);
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** Whether the secret is long enough to key the hash: shorter ones could be found by trying them all. */
    public static boolean isUsable(byte[] secret) {
        return secret != null && secret.length >= MIN_SECRET_BYTES;
    }

    /** Fails saying how to set a usable secret; also for a secret kept before the hasher is built. */
    public static void requireUsable(byte[] secret) {
        if (!isUsable(secret)) {
            throw new IllegalArgumentException("the hash secret must be at least " + MIN_SECRET_BYTES
                    + " bytes: set FACECHECK_HASH_SECRET to a long random value, the same on every instance");
        }
    }

    /** Hex HMAC of the parts, each length-prefixed so that ("ab","c") and ("a","bc") differ. */
    public String hex(String... parts) {
        Mac mac = newMac();
        for (String part : parts) {
            byte[] bytes = part == null ? new byte[0] : part.getBytes(StandardCharsets.UTF_8);
            mac.update(intBytes(part == null ? -1 : bytes.length));
            mac.update(bytes);
        }
        return HexFormat.of().formatHex(mac.doFinal());
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}
