package com.facecheck.identity;

/**
 * Real names as the provider wants them: no spaces, at most 50 characters, and in the form the ID record
 * holds. Only what is certainly the same name is normalised; anything that cannot be a name is refused.
 */
public final class Names {

    /** The standard separator in minority and foreign names written in Chinese, e.g. 阿依古丽·买买提. */
    public static final char MIDDLE_DOT = '\u00B7';

    public static final int MAX_CHARS = 50;

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
        StringBuilder name = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); ) {
            int c = raw.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                continue; // the provider wants no spaces, and the record holds none
            }
            name.appendCodePoint(normalise(c));
        }
        String result = name.toString();
        if (result.isEmpty()) {
            return invalid("missing-name", "未传入真实姓名xm", "the name is empty");
        }
        int length = result.codePointCount(0, result.length());
        if (length > MAX_CHARS) {
            return invalid("name-too-long", "传入真实姓名xm字符串长度超限",
                    "the name has " + length + " characters; the provider takes at most " + MAX_CHARS);
        }
        for (int i = 0; i < result.length(); ) {
            int c = result.codePointAt(i);
            int position = result.codePointCount(0, i) + 1;
            i += Character.charCount(c);
            if (c == '*') {
                return invalid("name-has-asterisk", "存在*字符，视为调试数据。止于当前结果。",
                        "the provider treats '*' as test data and answers nothing useful");
            }
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                return invalid("name-has-control-characters", "真实姓名xm含有不可见的控制字符",
                        "character " + position + " is an invisible control character");
            }
            if (Character.isDigit(c)) {
                return invalid("name-has-digits", "真实姓名xm不能含有数字", "character " + position + " is a digit");
            }
            if (!Character.isLetter(c) && Character.getType(c) != Character.NON_SPACING_MARK
                    && c != MIDDLE_DOT && c != '-' && c != '\'') {
                return invalid("name-has-invalid-characters", "真实姓名xm含有不允许的字符",
                        "character " + position + " is neither a letter nor the middle dot '·'");
            }
        }
        if (result.charAt(0) == MIDDLE_DOT || result.charAt(result.length() - 1) == MIDDLE_DOT
                || result.contains("" + MIDDLE_DOT + MIDDLE_DOT)) {
            return invalid("name-has-invalid-characters", "真实姓名xm含有不允许的字符",
                    "a middle dot '·' may only stand between two parts of a name");
        }
        return new NameCheck.Valid(result);
    }

    /**
     * Full-width forms become their ASCII twins (so full-width digits are recognised as digits), and every
     * dot-like character people type between name parts becomes the middle dot.
     */
    private static int normalise(int c) {
        if (c >= 0xFF01 && c <= 0xFF5E) {
            c -= 0xFEE0;
        }
        return switch (c) {
            case '.', 0x2022, 0x2027, 0x2219, 0x22C5, 0x30FB, 0xFF65, 0x0387, 0x16EB, 0x2E31, 0x00B7 -> MIDDLE_DOT;
            default -> c;
        };
    }

    private static NameCheck invalid(String reason, String message, String detail) {
        return new NameCheck.Invalid(reason, message, detail);
    }
}
