package com.facecheck.topology;

import com.facecheck.identity.KeyedHasher;
import java.time.Duration;
import java.util.Objects;

/**
 * What decides whether a request may reach the provider at all: duplicates are dropped, and the provider's own
 * 24-hour caps per ID number and per name are kept exactly, before any money is spent.
 *
 * @param keys        turns ID numbers, names and request ids into the keyed hashes used as keys
 * @param dedupWindow a request id served again within this time (the worker's clock) is a duplicate
 * @param capWindow   the caps hold in any window of this length of the worker's clock, as the provider counts
 * @param perId       most requests for one ID number that reach the provider in any cap window
 * @param perName     most requests for one name that reach the provider in any cap window
 * @param claimTimeout how long a request waits for the name stage's answer before it ends as an internal error:
 *                     only a lost claim or answer (a record that failed in a processor) takes that long
 */
public record Admission(KeyedHasher keys, Duration dedupWindow, Duration capWindow, int perId, int perName,
                        Duration claimTimeout) {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    public static final int DEFAULT_PER_ID = 5;
    public static final int DEFAULT_PER_NAME = 20;
    /** Far beyond a rebalance or a restore of the name stage, which delay answers without losing them. */
    public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofMinutes(5);

    public Admission {
        Objects.requireNonNull(keys, "keys");
        if (dedupWindow == null || dedupWindow.isNegative() || dedupWindow.isZero()) {
            throw new IllegalArgumentException("the deduplication window must be positive");
        }
        if (capWindow == null || capWindow.isNegative() || capWindow.isZero()) {
            throw new IllegalArgumentException("the cap window must be positive");
        }
        if (perId < 1 || perName < 1) {
            throw new IllegalArgumentException("caps.per-id and caps.per-name must be at least 1 (they are "
                    + perId + " and " + perName + ")");
        }
        if (claimTimeout == null || claimTimeout.isNegative() || claimTimeout.isZero()) {
            throw new IllegalArgumentException("the name-claim timeout must be positive");
        }
    }

    public static Admission defaults(KeyedHasher keys) {
        return new Admission(keys, DEFAULT_WINDOW, DEFAULT_WINDOW, DEFAULT_PER_ID, DEFAULT_PER_NAME,
                DEFAULT_CLAIM_TIMEOUT);
    }

    public Admission withCaps(int id, int name) {
        return new Admission(keys, dedupWindow, capWindow, id, name, claimTimeout);
    }

    public Admission withClaimTimeout(Duration timeout) {
        return new Admission(keys, dedupWindow, capWindow, perId, perName, timeout);
    }

    @Override
    public String toString() {
        return "Admission[dedupWindow=" + dedupWindow + ", capWindow=" + capWindow + ", perId=" + perId
                + ", perName=" + perName + ", claimTimeout=" + claimTimeout + "]";
    }
}
