package com.facecheck.topology;

/**
 * The name stage's answer to a reservation, back to the person's partition. Keyed by the person's keyed hash.
 *
 * @param at the record time the reservation was counted at, needed to give it back
 */
public record NameAnswer(String requestId, boolean granted, long at) {
}
