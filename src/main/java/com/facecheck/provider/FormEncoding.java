package com.facecheck.provider;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A form body, {@code application/x-www-form-urlencoded} in UTF-8, byte for byte as {@link java.net.URLEncoder}
 * writes it. Written from each value's UTF-8 bytes in two tight passes (count, then copy) because the photo field
 * is some 50,000 characters of base64: URLEncoder, and then a character-by-character encoder, cost a fifth to a
 * third of the worker's stream thread (JFR, facecheck bench).
 */
final class FormEncoding {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** What URLEncoder leaves as it is: letters, digits and {@code . - * _}. */
    private static final boolean[] KEPT = new boolean[256];

    static {
        for (int c = 0; c < 128; c++) {
            KEPT[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '*' || c == '_';
        }
    }

    private FormEncoding() {
    }

    static Buffer encode(Map<String, String> fields) {
        // A lone surrogate becomes '?' in these bytes, as URLEncoder's UTF-8 encoder replaces it too.
        List<byte[]> parts = new ArrayList<>(2 * fields.size());
        fields.forEach((name, value) -> {
            parts.add(name.getBytes(StandardCharsets.UTF_8));
            parts.add(value.getBytes(StandardCharsets.UTF_8));
        });
        int length = Math.max(0, parts.size() - 1); // the '=' and '&' between them
        for (byte[] part : parts) {
            length += encodedLength(part);
        }
        byte[] body = new byte[length];
        int at = 0;
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                body[at++] = (byte) (i % 2 == 1 ? '=' : '&');
            }
            at = write(parts.get(i), body, at);
        }
        return Buffer.buffer(body);
    }

    private static int encodedLength(byte[] utf8) {
        int length = utf8.length;
        for (byte b : utf8) {
            if (!KEPT[b & 0xFF] && b != ' ') {
                length += 2;
            }
        }
        return length;
    }

    private static int write(byte[] utf8, byte[] out, int at) {
        for (byte b : utf8) {
            int unsigned = b & 0xFF;
            if (KEPT[unsigned]) {
                out[at++] = b;
            } else if (b == ' ') {
                out[at++] = '+';
            } else {
                out[at++] = '%';
                out[at++] = HEX[unsigned >> 4];
                out[at++] = HEX[unsigned & 0xF];
            }
        }
        return at;
    }
}
