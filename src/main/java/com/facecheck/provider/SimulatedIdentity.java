package com.facecheck.provider;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One synthetic person the simulator knows. {@code answer} is the provider error code it gives when the
 * name matches: 0–4 are verdicts on the photo, 8 and 9 make the provider fail that way for this person.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SimulatedIdentity(String name, String idNumber, int answer, String address, String note) {
}
