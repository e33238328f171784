package com.facecheck.topology;

/**
 * From a person's partition to its name's partition: reserve a place under the per-name cap, or give one
 * back because the call it was reserved for got no verdict. Keyed by the name's keyed hash.
 */
public record NameClaim(Kind kind, String requestId, String personKey, String nameKey) implements PersonOutput {

    public enum Kind {
        RESERVE, RELEASE
    }
}
