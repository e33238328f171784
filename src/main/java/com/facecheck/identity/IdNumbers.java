package com.facecheck.identity;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Set;

/**
 * Resident ID numbers (GB 11643-1999): normalised, checked and read. Only what is certainly wrong is
 * rejected; in particular an address code missing from today's table is accepted, because codes are
 * retired while the numbers issued under them stay valid for life.
 */
public final class IdNumbers {

    /**
     * First two digits of the numbers really issued: mainland provinces; Taiwan (71 in the code table), and the
     * residence permits of Hong Kong (81), Macau (82) and Taiwan (83) residents. The 2023 foreign
     * permanent-residence card starts with 9 followed by the issuing province's code, so 91–96 begin such numbers.
     */
    static final Set<String> PROVINCES = Set.of(
            "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
            "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
            "83", "91", "92", "93", "94", "95", "96");
    private static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);

    private IdNumbers() {
    }

    public static IdCheck check(String raw, LocalDate today) {
        if (raw == null) {
            return invalid("id-number-bad-length", "there is no ID number");
        }
        String number = normalise(raw);
        int position = 0;
        for (int i = 0; i < number.length(); ) {
            int c = number.codePointAt(i);
            i += Character.charCount(c);
            position++;
            if (!(c >= '0' && c <= '9') && !(c == 'X' && position == 18)) {
                return invalid("id-number-bad-characters", "character " + position + " is "
                        + (c == 'X' ? "an X, which only the 18th and last character may be"
                        : CodePoints.describe(c) + ", not a digit" + (position == 18 ? " or X" : "")));
            }
        }
        boolean legacy = number.length() == 15;
        if (legacy) {
            String first17 = number.substring(0, 6) + "19" + number.substring(6);
            number = first17 + CheckCharacter.of(first17);
        } else if (number.length() != 18) {
            return invalid("id-number-bad-length", "an ID number has 18 characters (or 15 digits in the legacy"
                    + " form); this one has " + number.length());
        } else if (!CheckCharacter.isValid(number)) {
            return invalid("id-number-bad-check-character", "the last character does not match the other 17:"
                    + " a digit was mistyped");
        }
        String addressCode = addressCode(number);
        if (addressCode == null) {
            return invalid("id-number-unknown-province", "the number starts with no province code in use");
        }
        LocalDate birthday;
        try {
            birthday = LocalDate.of(Integer.parseInt(number.substring(6, 10)), Integer.parseInt(number.substring(10, 12)),
                    Integer.parseInt(number.substring(12, 14)));
        } catch (DateTimeException e) {
            return invalid("id-number-bad-birth-date", "digits 7–14 are not a calendar date");
        }
        if (birthday.isAfter(today)) {
            return invalid("id-number-birth-date-in-future", "the birth date in the number is in the future");
        }
        if (birthday.isBefore(EARLIEST_BIRTH)) {
            return invalid("id-number-born-before-1900", "the birth date in the number is before 1900");
        }
        IdNumber.Sex sex = (number.charAt(16) - '0') % 2 == 1 ? IdNumber.Sex.MALE : IdNumber.Sex.FEMALE;
        return new IdCheck.Valid(new IdNumber(number, birthday, sex, addressCode, legacy));
    }

    /**
     * Where the number was issued, as a code of the GB/T 2260 table, or null when no region issues numbers that
     * start so. A Taiwan resident's permit (83) is Taiwan's, 71 in the table; a foreign permanent-residence card
     * names only the issuing province, in digits 2–3.
     */
    private static String addressCode(String number) {
        String prefix = number.substring(0, 2);
        if (!PROVINCES.contains(prefix)) {
            return null;
        }
        if (prefix.equals("83")) {
            return "710000";
        }
        if (prefix.charAt(0) == '9') {
            String province = number.substring(1, 3);
            return PROVINCES.contains(province) ? province + "0000" : null;
        }
        return number.substring(0, 6);
    }

    /**
     * Invisible characters go wherever they are: copied along with the number, never typed. Surrounding spaces
     * of every kind go; full-width digits and X become ASCII; x becomes X. Inner spaces stay, and are rejected:
     * the number is then not one.
     */
    static String normalise(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        raw.codePoints().filter(c -> !CodePoints.isInvisible(c)).map(CodePoints::narrow).map(c -> c == 'x' ? 'X' : c)
                .forEach(out::appendCodePoint);
        return CodePoints.stripSpaces(out.toString());
    }

    private static IdCheck invalid(String reason, String detail) {
        return new IdCheck.Invalid(reason, detail);
    }
}
