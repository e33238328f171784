package com.facecheck.identity;

/** What {@link PhotoCheck} decided about a photo: send these bytes, or answer locally without a billed call. */
public sealed interface PhotoVerdict {

    /**
     * The photo can be sent.
     *
     * @param base64 what to send as {@code img}: standard base64, no {@code data:} prefix, no line breaks
     * @param format {@code "jpeg"} or {@code "png"}, as received (a re-encoded photo is always sent as JPEG)
     * @param width width in pixels of the image sent
     * @param height height in pixels of the image sent
     * @param originalBytes size of the image as received, in bytes (not base64 characters)
     * @param sentBytes size of the image sent, in bytes
     * @param reencoded true when the bytes sent are a new JPEG rather than the ones received
     */
    record Accepted(String base64, String format, int width, int height, int originalBytes, int sentBytes,
            boolean reencoded) implements PhotoVerdict {

        /** Without the photo itself: a verdict may well end up in a log line. */
        @Override
        public String toString() {
            return "Accepted[format=" + format + ", width=" + width + ", height=" + height + ", originalBytes="
                    + originalBytes + ", sentBytes=" + sentBytes + ", reencoded=" + reencoded + ", base64="
                    + base64.length() + " chars]";
        }
    }

    /**
     * The photo is certainly unusable.
     *
     * @param reason machine-readable code, e.g. {@code image-undecodable}
     * @param message the provider's own wording for the same problem
     * @param detail short English: what is wrong and what to do
     */
    record Rejected(String reason, String message, String detail) implements PhotoVerdict {
    }
}
