package com.facecheck.identity;

import java.util.regex.Pattern;

/**
 * The one place where names and ID numbers are masked for anything a person can read: logs, results,
 * dead-letter reasons, command output. The masks hide the length too, as the provider's own do
 * ({@code 李**}, {@code 3502*****1X}).
 */
public final class Masking {

    private static final Pattern ID_LIKE = Pattern.compile("[0-9]{6,}[0-9Xx]*");
    private static final Pattern DATA_LIKE = Pattern.compile("[A-Za-z0-9+/=_-]{40,}");

    private static final String NAME_MASK = "**";
    private static final String ID_MASK = "*****";

    private Masking() {
    }

    /** {@code 李三} → {@code 李**}; null stays null. */
    public static String name(String name) {
        if (name == null) {
            return null;
        }
        String trimmed = name.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        return new StringBuilder().appendCodePoint(trimmed.codePointAt(0)).append(NAME_MASK).toString();
    }

    /** First four and last two characters kept: {@code 350203201102011234} → {@code 3502*****34}. */
    public static String idNumber(String idNumber) {
        if (idNumber == null) {
            return null;
        }
        String trimmed = idNumber.strip();
        if (trimmed.length() < 8) {
            return trimmed.isEmpty() ? "" : ID_MASK;
        }
        return trimmed.substring(0, 4) + ID_MASK + trimmed.substring(trimmed.length() - 2);
    }

    /**
     * A short, safe excerpt of text that came from outside (an HTTP body, a gateway message) and may echo what
     * was sent: digit runs that could be ID numbers, long base64 runs that could be photos, and Chinese
     * names are masked, and the excerpt is cut to {@code maxChars}.
     */
    public static String excerpt(String text, int maxChars) {
        if (text == null) {
            return null;
        }
        String flat = text.replaceAll("\\s+", " ").strip();
        String masked = ID_LIKE.matcher(flat).replaceAll("<number>");
        masked = DATA_LIKE.matcher(masked).replaceAll("<data>");
        masked = maskHanRuns(masked);
        return masked.length() <= maxChars ? masked : masked.substring(0, maxChars) + "…";
    }

    /**
     * Each run of Chinese characters (with the middle dot of minority names, and invisible characters that could
     * split a name in two) keeps its first character and loses the rest: {@code 李三} → {@code 李**}.
     */
    private static String maskHanRuns(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean inRun = false;
        boolean masked = false;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            boolean partOfName = CodePoints.isHan(c) || (inRun && (c == '·' || CodePoints.isInvisible(c)));
            if (!partOfName) {
                inRun = false;
                out.appendCodePoint(c);
            } else if (!inRun) {
                inRun = CodePoints.isHan(c);
                masked = false;
                out.appendCodePoint(c);
            } else if (!masked) {
                masked = true;
                out.append(NAME_MASK);
            }
        }
        return out.toString();
    }

    /**
     * The exception as a log line may show it: the same classes and stack frames, every message (of the causes
     * too) masked by {@link #excerpt}, because messages of libraries quote the data they choked on.
     */
    public static Throwable withoutMessages(Throwable failure) {
        return failure == null ? null : new MaskedException(failure, 0);
    }

    /** Stands in for an exception in a log line: prints as the original class with a masked message. */
    private static final class MaskedException extends RuntimeException {

        private static final int MAX_CAUSES = 8;

        MaskedException(Throwable original, int depth) {
            super(original.getClass().getName() + (original.getMessage() == null ? ""
                            : ": " + excerpt(original.getMessage(), 200)),
                    original.getCause() == null || depth >= MAX_CAUSES ? null
                            : new MaskedException(original.getCause(), depth + 1),
                    false, true);
            setStackTrace(original.getStackTrace());
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
