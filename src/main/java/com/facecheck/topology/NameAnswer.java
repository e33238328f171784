package com.facecheck.topology;

/**
 * The name stage's answer to a reservation, back to the person's partition. Keyed by the person's keyed hash.
 *
 * @param nameKey the name's keyed hash, so that a grant that comes too late (after the claim timed out) can be
 *                given back
 */
public record NameAnswer(String requestId, String nameKey, boolean granted) implements PersonInput {
}
