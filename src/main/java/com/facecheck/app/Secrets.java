package com.facecheck.app;

import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.Keyset;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.provider.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The worker's secrets. They are never keys of the configuration: they come from the environment, or from files the
 * environment names, and are never printed.
 *
 * @param credentials how calls prove who pays for them
 * @param hashSecret  key of the HMAC that turns personal data into stable identifiers, the same on every instance
 * @param keyset      keys that encrypt personal data resting in Kafka, the same on every instance
 */
public record Secrets(Credentials credentials, String hashSecret, Keyset keyset) {

    public static final String HASH_SECRET_ENV = "FACECHECK_HASH_SECRET";
    /** Each also as a file named by the variable with {@link Credentials#FILE_SUFFIX}. */
    static final List<String> VARIABLES = List.of(Credentials.APPCODE_ENV, Credentials.APPKEY_ENV,
            Credentials.APPSECRET_ENV, HASH_SECRET_ENV, Keyset.ENV);

    public Secrets {
        Objects.requireNonNull(credentials, "credentials");
        KeyedHasher.requireUsable(hashSecret == null ? null : hashSecret.getBytes(StandardCharsets.UTF_8));
        Objects.requireNonNull(keyset, "keyset");
    }

    /**
     * Secrets with {@link #processKeyset()}: what they seal no other process can read, which suits the demo and
     * tests whose broker lives and dies with the process. {@code run} requires a keyset instead.
     */
    public Secrets(Credentials credentials, String hashSecret) {
        this(credentials, hashSecret, processKeyset());
    }

    /**
     * A keyset generated once for this process, shared by every worker in it: a worker that takes over another's
     * tasks must open what that one sealed.
     */
    public static Keyset processKeyset() {
        return ProcessKeyset.KEYSET;
    }

    private static final class ProcessKeyset {
        static final Keyset KEYSET = Keyset.generate();
    }

    public KeyedHasher hasher() {
        return new KeyedHasher(hashSecret.getBytes(StandardCharsets.UTF_8));
    }

    public FieldCipher cipher() {
        return new FieldCipher(keyset);
    }

    @Override
    public String toString() {
        return "Secrets[credentials=" + credentials + ", hashSecret=[redacted], keyset=[redacted]]";
    }
}
