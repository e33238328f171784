package com.facecheck.crypto;

import com.facecheck.provider.Credentials;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys that seal personal data resting in Kafka: a Tink keyset of AES-256-GCM keys, each with a key id that Tink
 * writes in front of every ciphertext. New data is sealed under the primary key; data sealed under any other key of
 * the keyset still opens, which is what lets keys rotate while sealed records wait out their retention.
 * Immutable: {@link #withNewKey()} and {@link #promote(int)} return new keysets. Never prints key material.
 */
public final class Keyset {

    public static final String ENV = "FACECHECK_KEYSET";

    static {
        try {
            // Parsing a keyset turns its stored keys into AES-GCM keys only once Tink knows the key type.
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink's AEAD key types cannot be registered in this JVM", e);
        }
    }

    /** One key as {@code keys list} shows it: its id, whether it seals new data, whether it still opens old data. */
    public record KeyInfo(int id, boolean primary, boolean enabled) {
    }

    private final KeysetHandle handle;

    private Keyset(KeysetHandle handle) {
        this.handle = handle;
    }

    /** A keyset of one new random key, its primary. */
    public static Keyset generate() {
        try {
            return of(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no AES-256-GCM key can be generated in this JVM", e);
        }
    }

    /**
     * The keyset in Tink's JSON keyset format, as {@link #toJson()} writes it.
     *
     * @throws IllegalArgumentException saying what is wrong, never showing the text
     */
    public static Keyset parse(String json) {
        KeysetHandle handle;
        try {
            handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("the keyset is not a Tink JSON keyset: create one with"
                    + " './facecheck keys create FILE'");
        }
        return of(handle);
    }

    /**
     * The keyset in {@value #ENV}, else in the file {@code FACECHECK_KEYSET_FILE} names; empty when neither is set.
     *
     * @throws IllegalArgumentException naming the variable and what is wrong, never the keyset
     */
    public static Optional<Keyset> fromEnvironment(Map<String, String> env) {
        return Credentials.secret(env, ENV).map(json -> {
            try {
                return parse(json);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ENV + " (or " + ENV + Credentials.FILE_SUFFIX + "): "
                        + e.getMessage());
            }
        });
    }

    private static Keyset of(KeysetHandle handle) {
        for (int i = 0; i < handle.size(); i++) {
            // Only keys whose ciphertexts carry their key id let rotation find the key that opens a record.
            if (!handle.getAt(i).getKey().getParameters().equals(PredefinedAeadParameters.AES256_GCM)) {
                throw new IllegalArgumentException("key " + Integer.toUnsignedString(handle.getAt(i).getId())
                        + " of the keyset is not an AES-256-GCM key with Tink's key-id prefix, the only kind the"
                        + " worker uses: create the keyset with './facecheck keys create FILE'");
            }
        }
        return new Keyset(handle);
    }

    /** This keyset with one more random key, not yet primary: deploy it everywhere before promoting it. */
    public Keyset withNewKey() {
        try {
            return of(KeysetHandle.newBuilder(handle)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId().setStatus(KeyStatus.ENABLED))
                    .build());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no AES-256-GCM key can be added in this JVM", e);
        }
    }

    /**
     * This keyset with key {@code keyId} as its primary: the key that seals new data from now on.
     *
     * @throws IllegalArgumentException when no key has that id, listing the ids there are
     */
    public Keyset promote(int keyId) {
        KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
        for (int i = 0; i < builder.size(); i++) {
            if (handle.getAt(i).getId() == keyId) {
                builder.getAt(i).setStatus(KeyStatus.ENABLED).makePrimary();
                try {
                    return of(builder.build());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("the keyset cannot be rebuilt with key "
                            + Integer.toUnsignedString(keyId) + " as primary", e);
                }
            }
        }
        throw new IllegalArgumentException("no key " + Integer.toUnsignedString(keyId) + " in the keyset: its keys are "
                + keys().stream().map(k -> Integer.toUnsignedString(k.id())).toList());
    }

    /** The keys' ids and states, in the keyset's order; never their material. */
    public List<KeyInfo> keys() {
        List<KeyInfo> keys = new ArrayList<>();
        for (int i = 0; i < handle.size(); i++) {
            KeysetHandle.Entry entry = handle.getAt(i);
            keys.add(new KeyInfo(entry.getId(), entry.isPrimary(), entry.getStatus() == KeyStatus.ENABLED));
        }
        return List.copyOf(keys);
    }

    /** The id of the key that seals new data. */
    public int primaryId() {
        return handle.getPrimary().getId();
    }

    /** The keyset with its key material in clear, in Tink's JSON format: whoever holds the text can open every record. */
    public String toJson() {
        try {
            return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the keyset cannot be written as JSON", e);
        }
    }

    KeysetHandle handle() {
        return handle;
    }

    @Override
    public String toString() {
        return "Keyset[primary=" + Integer.toUnsignedString(primaryId()) + ", keys=" + handle.size()
                + ", material=redacted]";
    }
}
