package com.facecheck.identity;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UCharacter.JoiningType;
import com.ibm.icu.lang.UCharacterEnums.ECharacterCategory;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.Normalizer2;

/**
 * Real names as the provider wants them: no spaces, at most 50 characters, and in the form the ID record
 * holds. Only what is certainly the same name is normalised; anything that cannot be a name is refused. What a
 * name may hold is judged by ICU's Unicode database, so Han characters of every CJK extension are letters
 * whatever the JDK; docs/contracts.md has the policy as a table.
 */
public final class Names {

    /** The standard separator in minority and foreign names written in Chinese, e.g. 阿依古丽·买买提. */
    public static final char MIDDLE_DOT = '\u00B7';

    public static final int MAX_CHARS = 50;
    /**
     * NFC composes at most four code points into one (a letter with three marks; Hangul jamo three into a
     * syllable): folded further than four times {@link #MAX_CHARS}, no name can come back under it.
     */
    static final int MAX_FOLDED_CHARS = 4 * MAX_CHARS;

    /** U+3007 IDEOGRAPHIC NUMBER ZERO: a numeral to Unicode, but written as a character in Chinese names. */
    private static final int IDEOGRAPHIC_ZERO = 0x3007;
    /** Between the syllables of a name written in Tibetan. */
    private static final int TSHEG = 0x0F0B;
    private static final int ZWNJ = 0x200C;
    private static final int ZWJ = 0x200D;
    private static final int VIRAMA_CLASS = 9;

    private static final Normalizer2 NFC = Normalizer2.getNFCInstance();
    private static final Normalizer2 NFKC = Normalizer2.getNFKCInstance();

    /** A name ready to send, or why it cannot be. */
    public sealed interface NameCheck {
        record Valid(String name) implements NameCheck {
        }

        record Invalid(String reason, String message, String detail) implements NameCheck {
        }
    }

    private Names() {
    }

    public static NameCheck check(String raw) {
        if (raw == null) {
            return invalid("missing-name", "未传入真实姓名xm", "the request has no name");
        }
        String name = normalise(raw);
        if (name == null) {
            return invalid("name-too-long", "传入真实姓名xm字符串长度超限", "the name has more than "
                    + MAX_FOLDED_CHARS + " characters; the provider takes at most " + MAX_CHARS);
        }
        if (name.isEmpty()) {
            return invalid("missing-name", "未传入真实姓名xm", "the name is empty");
        }
        int[] chars = name.codePoints().toArray();
        if (chars.length > MAX_CHARS) {
            return invalid("name-too-long", "传入真实姓名xm字符串长度超限",
                    "the name has " + chars.length + " characters; the provider takes at most " + MAX_CHARS);
        }
        for (int i = 0; i < chars.length; i++) {
            NameCheck.Invalid problem = problemAt(chars, i);
            if (problem != null) {
                return problem;
            }
        }
        return new NameCheck.Valid(name);
    }

    private static NameCheck.Invalid problemAt(int[] chars, int i) {
        int c = chars[i];
        String character = "character " + (i + 1) + " is ";
        int type = UCharacter.getType(c);
        if (c == '*') {
            return invalid("name-has-asterisk", "存在*字符，视为调试数据。止于当前结果。",
                    "the provider treats '*' as test data and answers nothing useful");
        }
        if (isLetter(c) || c == ZWJ || c == ZWNJ) {
            return null; // a joiner is kept only where it shapes the letters around it
        }
        if (type == ECharacterCategory.CONTROL || type == ECharacterCategory.FORMAT) {
            return invalid("name-has-control-characters", "真实姓名xm含有不可见的控制字符",
                    character + CodePoints.describe(c));
        }
        if (type == ECharacterCategory.DECIMAL_DIGIT_NUMBER || type == ECharacterCategory.LETTER_NUMBER
                || type == ECharacterCategory.OTHER_NUMBER) {
            return invalid("name-has-digits", "真实姓名xm不能含有数字", character + CodePoints.describe(c));
        }
        boolean afterLetter = i > 0 && (isLetter(chars[i - 1]) || isMark(chars[i - 1]));
        if (isMark(c)) {
            return afterLetter ? null : invalidCharacter(character + "a combining mark with no letter before it");
        }
        if (isSeparator(c)) {
            boolean beforeLetter = i + 1 < chars.length && isLetter(chars[i + 1]);
            return afterLetter && beforeLetter ? null : invalidCharacter(character
                    + "a separator ('·', '-', apostrophe or tsheg), which may only stand between two parts of a name");
        }
        return invalidCharacter(character + CodePoints.describe(c));
    }

    /**
     * Spaces go (the provider wants none, and the record holds none); invisible characters go, but for a
     * joiner that shapes the letters around it; the folds of {@link #fold}; then NFC, which also turns CJK
     * compatibility ideographs into the unified ones the registry holds. Null when more characters are left than
     * {@link #MAX_FOLDED_CHARS}: the name is too long however NFC composes them, and a name of megabytes is not
     * copied and composed in full for that verdict.
     */
    private static String normalise(String raw) {
        StringBuilder folded = new StringBuilder(Math.min(raw.length(), MAX_FOLDED_CHARS * 2));
        int kept = 0;
        for (int i = 0; i < raw.length(); ) {
            int c = raw.codePointAt(i);
            i += Character.charCount(c);
            if (CodePoints.isSpace(c) || CodePoints.isInvisible(c) && !shapes(c, folded, raw, i)) {
                continue;
            }
            if (++kept > MAX_FOLDED_CHARS) {
                return null;
            }
            folded.appendCodePoint(fold(c));
        }
        return NFC.normalize(folded);
    }

    /**
     * Whether a zero-width (non-)joiner changes how the name is written: after a letter that joins the next one
     * (Arabic script as Uyghur writes it, Mongolian, Syriac) or after a virama (Indic scripts), before a letter.
     * Anywhere else it is an invisible leftover like the zero-width space.
     */
    private static boolean shapes(int c, StringBuilder before, String raw, int next) {
        if (c != ZWJ && c != ZWNJ || before.isEmpty() || next >= raw.length() || !isLetter(raw.codePointAt(next))) {
            return false;
        }
        int previous = before.codePointBefore(before.length());
        int joining = UCharacter.getIntPropertyValue(previous, UProperty.JOINING_TYPE);
        return joining == JoiningType.DUAL_JOINING || joining == JoiningType.LEFT_JOINING
                || UCharacter.getCombiningClass(previous) == VIRAMA_CLASS;
    }

    /**
     * Characters that people type for the same one: full-width forms; the dot-like characters between name
     * parts; apostrophes (U+2019 as phones type it); hyphens and dashes that can only be a hyphen inside a
     * name; the non-breaking tsheg; CJK radicals (copied out of PDFs) that Unicode maps to the ideograph they
     * look like.
     */
    private static int fold(int c) {
        int narrow = CodePoints.narrow(c);
        return switch (narrow) {
            case '.', 0x2022, 0x2027, 0x2219, 0x22C5, 0x30FB, 0xFF65, 0x0387, 0x16EB, 0x2E31 -> MIDDLE_DOT;
            case 0x2018, 0x2019, 0x02BC -> '\'';
            case 0x2010, 0x2011, 0x2012, 0x2013, 0x2212, 0xFE63 -> '-';
            case 0x0F0C -> TSHEG;
            default -> ideographOf(narrow);
        };
    }

    private static int ideographOf(int c) {
        String ideograph = UCharacter.hasBinaryProperty(c, UProperty.RADICAL) ? NFKC.getDecomposition(c) : null;
        return ideograph == null ? c : ideograph.codePointAt(0);
    }

    private static boolean isLetter(int c) {
        return UCharacter.isLetter(c) || c == IDEOGRAPHIC_ZERO;
    }

    private static boolean isMark(int c) {
        int type = UCharacter.getType(c);
        return type == ECharacterCategory.NON_SPACING_MARK || type == ECharacterCategory.COMBINING_SPACING_MARK;
    }

    private static boolean isSeparator(int c) {
        return c == MIDDLE_DOT || c == '-' || c == '\'' || c == TSHEG;
    }

    private static NameCheck.Invalid invalidCharacter(String detail) {
        return invalid("name-has-invalid-characters", "真实姓名xm含有不允许的字符", detail);
    }

    private static NameCheck.Invalid invalid(String reason, String message, String detail) {
        return new NameCheck.Invalid(reason, message, detail);
    }
}
