package com.facecheck.identity;

/** The ISO 7064 MOD 11-2 check character of 18-character resident ID numbers (GB 11643-1999). */
public final class CheckCharacter {

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] BY_REMAINDER = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    private CheckCharacter() {
    }

    /** The check character for the first 17 digits; {@code first17} must be exactly 17 ASCII digits. */
    public static char of(CharSequence first17) {
        if (first17.length() != WEIGHTS.length) {
            throw new IllegalArgumentException("expected 17 digits, got " + first17.length() + " characters");
        }
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++) {
            char c = first17.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("character " + (i + 1) + " is not a digit");
            }
            sum += (c - '0') * WEIGHTS[i];
        }
        return BY_REMAINDER[sum % 11];
    }

    /** True when {@code idNumber} is 17 digits followed by its correct check character (x accepted as X). */
    public static boolean isValid(String idNumber) {
        if (idNumber == null || idNumber.length() != 18) {
            return false;
        }
        for (int i = 0; i < 17; i++) {
            char c = idNumber.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return Character.toUpperCase(idNumber.charAt(17)) == of(idNumber.subSequence(0, 17));
    }
}
