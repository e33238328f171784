package com.facecheck.identity;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UScript;
import com.ibm.icu.lang.UCharacterEnums.ECharacterCategory;
import com.ibm.icu.lang.UProperty;
import java.util.Locale;

/**
 * What people paste or type into a name or an ID number beyond what they mean, judged by ICU's Unicode
 * database: the JDK's lags years behind Unicode and differs between JDK versions.
 */
final class CodePoints {

    private CodePoints() {
    }

    /**
     * Invisible by definition (Default_Ignorable_Code_Point): zero-width space and joiners, BOM, word joiner,
     * soft hyphen, direction marks, variation selectors. Copied along from documents and web pages.
     */
    /** Null, empty, or only spaces and invisible characters (as a copied form field often is): nothing given. */
    static boolean isBlank(String value) {
        return value == null || value.codePoints().allMatch(c -> isSpace(c) || isInvisible(c));
    }

    /** A Chinese character, by ICU's script data: every CJK extension ICU knows, not only the JDK's. */
    static boolean isHan(int c) {
        return UScript.getScript(c) == UScript.HAN;
    }

    static boolean isInvisible(int c) {
        return UCharacter.hasBinaryProperty(c, UProperty.DEFAULT_IGNORABLE_CODE_POINT);
    }

    /** Every kind of space (White_Space): no-break, narrow, figure and ideographic spaces, tabs, line breaks. */
    static boolean isSpace(int c) {
        return UCharacter.isUWhiteSpace(c);
    }

    /** Full-width ASCII, as Chinese input methods type it, becomes ASCII. */
    static int narrow(int c) {
        return c >= 0xFF01 && c <= 0xFF5E ? c - 0xFEE0 : c;
    }

    static String stripSpaces(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && isSpace(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }

    /**
     * What kind of character it is, for error details, e.g. "an invisible U+200B". Letters and digits are named
     * by kind only: they may be part of a person's name or number, which details never quote.
     */
    static String describe(int c) {
        if (isSpace(c)) {
            return "a space " + number(c);
        }
        if (isInvisible(c)) {
            return "an invisible " + number(c);
        }
        return switch (UCharacter.getType(c)) {
            case ECharacterCategory.CONTROL -> "a control character " + number(c);
            case ECharacterCategory.FORMAT -> "a format character " + number(c);
            case ECharacterCategory.SURROGATE -> "half of a broken surrogate pair " + number(c);
            case ECharacterCategory.PRIVATE_USE -> "a private-use character " + number(c);
            case ECharacterCategory.UNASSIGNED -> "an unassigned code point " + number(c);
            case ECharacterCategory.DECIMAL_DIGIT_NUMBER -> "a digit";
            case ECharacterCategory.LETTER_NUMBER, ECharacterCategory.OTHER_NUMBER -> "a numeral " + number(c);
            case ECharacterCategory.NON_SPACING_MARK, ECharacterCategory.COMBINING_SPACING_MARK,
                 ECharacterCategory.ENCLOSING_MARK -> "a combining mark " + number(c);
            case ECharacterCategory.MATH_SYMBOL, ECharacterCategory.CURRENCY_SYMBOL,
                 ECharacterCategory.MODIFIER_SYMBOL, ECharacterCategory.OTHER_SYMBOL -> "a symbol " + number(c);
            case ECharacterCategory.UPPERCASE_LETTER, ECharacterCategory.LOWERCASE_LETTER,
                 ECharacterCategory.TITLECASE_LETTER, ECharacterCategory.MODIFIER_LETTER,
                 ECharacterCategory.OTHER_LETTER -> "a letter";
            default -> "punctuation " + number(c);
        };
    }

    private static String number(int c) {
        return String.format(Locale.ROOT, "U+%04X", c);
    }
}
