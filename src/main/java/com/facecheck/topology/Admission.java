package com.facecheck.topology;

import com.facecheck.identity.KeyedHasher;
import java.time.Duration;
import java.util.Objects;

/**
 * What decides whether a request may reach the provider at all: a request without the person's consent is refused,
 * duplicates are dropped, and the provider's own 24-hour caps per ID number and per name are kept exactly, before any
 * money is spent.
 *
 * @param keys        turns ID numbers, names and request ids into the keyed hashes used as keys
 * @param dedupWindow a request id served again within this time (the worker's clock) is a duplicate
 * @param capWindow   the caps hold in any window of this length of the worker's clock, as the provider counts
 * @param perId       most requests for one ID number that reach the provider in any cap window
 * @param perName     most requests for one name that reach the provider in any cap window
 * @param claimTimeout how long a request waits for the name stage's answer before it ends as an internal error:
 *                     only a lost claim or answer (a record that failed in a processor) takes that long
 * @param requireConsent whether a request without a {@code consentId} is refused with result 7
 *                       {@code missing-consent}
 */
public record Admission(KeyedHasher keys, Duration dedupWindow, Duration capWindow, int perId, int perName,
                        Duration claimTimeout, boolean requireConsent) {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    public static final int DEFAULT_PER_ID = 5;
    public static final int DEFAULT_PER_NAME = 20;
    /** Far beyond a rebalance or a restore of the name stage, which delay answers without losing them. */
    public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofMinutes(5);

    public Admission {
        Objects.requireNonNull(keys, "keys");
        requireValid(dedupWindow, capWindow, perId, perName, claimTimeout);
    }

    /**
     * The one check of admission settings, also for settings held before the keys exist; each message names the
     * setting's key.
     *
     * @throws IllegalArgumentException naming the first setting that cannot work
     */
    public static void requireValid(Duration dedupWindow, Duration capWindow, int perId, int perName,
                                    Duration claimTimeout) {
        requirePositive("dedup.window", dedupWindow);
        requirePositive("caps.window", capWindow);
        requireAtLeastOne("caps.per-id", perId);
        requireAtLeastOne("caps.per-name", perName);
        requirePositive("caps.claim-timeout", claimTimeout);
    }

    public static Admission defaults(KeyedHasher keys) {
        return new Admission(keys, DEFAULT_WINDOW, DEFAULT_WINDOW, DEFAULT_PER_ID, DEFAULT_PER_NAME,
                DEFAULT_CLAIM_TIMEOUT, true);
    }

    public Admission withCaps(int id, int name) {
        return new Admission(keys, dedupWindow, capWindow, id, name, claimTimeout, requireConsent);
    }

    public Admission withConsentRequired(boolean required) {
        return new Admission(keys, dedupWindow, capWindow, perId, perName, claimTimeout, required);
    }

    /** At least a millisecond: the window stores and the punctuation that use these durations count in them. */
    private static void requirePositive(String key, Duration value) {
        if (value == null || value.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(key + " must be a duration of at least 1 ms, not " + value);
        }
    }

    private static void requireAtLeastOne(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, not " + value);
        }
    }

    @Override
    public String toString() {
        return "Admission[dedupWindow=" + dedupWindow + ", capWindow=" + capWindow + ", perId=" + perId
                + ", perName=" + perName + ", claimTimeout=" + claimTimeout + ", requireConsent=" + requireConsent
                + "]";
    }
}
