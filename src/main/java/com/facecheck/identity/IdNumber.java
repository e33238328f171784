package com.facecheck.identity;

import java.time.LocalDate;
import java.util.Optional;

/**
 * A resident ID number that passed every check, in the 18-character form sent to the provider.
 *
 * @param addressCode     where the number was issued, as a GB/T 2260 code: the first six digits, but Taiwan's
 *                        710000 on a Taiwan resident's permit (830000), and only the issuing province on a
 *                        foreign permanent-residence card
 * @param convertedFrom15 whether it was given in the legacy 15-digit form
 */
public record IdNumber(String normalized, LocalDate birthday, Sex sex, String addressCode, boolean convertedFrom15) {

    /** From the sequence digit: odd for men, even for women. */
    public enum Sex {
        MALE("男"), FEMALE("女");

        private final String chinese;

        Sex(String chinese) {
            this.chinese = chinese;
        }

        /** As the provider writes it. */
        public String chinese() {
            return chinese;
        }
    }

    /** Best effort: the issuing region's name, or its city's or province's when the county code is unknown. */
    public Optional<String> region() {
        return Regions.name(addressCode);
    }

    @Override
    public String toString() {
        return "IdNumber[" + Masking.idNumber(normalized) + "]";
    }
}
