package com.facecheck.simulator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One synthetic person the simulator knows, as the photo database would hold them.
 *
 * @param answer      the error code given when the name matches and no reference photo decides: 0–4 are
 *                    verdicts on the photo, 8 and 9 make the provider fail that way for this person
 * @param photoSha256 SHA-256 (hex) of the reference photo's bytes: when set, the same photo is verified (0)
 *                    and any other is a mismatch (1)
 * @param photoOnFile false when no photo is on file for this person (always 3)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SimulatedIdentity(String name, String idNumber, int answer, String address, String photoSha256,
                                Boolean photoOnFile, String note) {
}
