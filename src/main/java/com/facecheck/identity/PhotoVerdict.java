package com.facecheck.identity;

/** What the photo check decided. */
public sealed interface PhotoVerdict {

    /**
     * @param base64        what to send as {@code img}: standard base64 of a JPEG, no prefix, no line breaks
     * @param format        the format received: {@code jpeg} or {@code png}
     * @param width         of the photo as sent, after orientation and scaling
     * @param height        of the photo as sent
     * @param originalBytes size of the photo received
     * @param sentBytes     size of the photo sent
     * @param reencoded     whether the photo was decoded and compressed again to fit
     */
    record Accepted(String base64, String format, int width, int height, int originalBytes, int sentBytes,
                    boolean reencoded) implements PhotoVerdict {

        @Override
        public String toString() {
            return "Accepted[" + format + " " + width + "x" + height + ", " + originalBytes + " → " + sentBytes
                    + " bytes, reencoded=" + reencoded + "]";
        }
    }

    /**
     * @param message the provider's wording for such a photo
     * @param detail  what is wrong and what to do, in English
     */
    record Rejected(String reason, String message, String detail) implements PhotoVerdict {
    }
}
