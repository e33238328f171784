package com.facecheck.contract;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Files of one JSON request per line, read line by line as bytes: a line that is not UTF-8 costs that line only,
 * never the lines around it (a reader decoding the whole file fails at the first bad byte, or silently replaces
 * it). Requests are UTF-8; Chinese spreadsheet and Windows tools often save GBK, so that is what a bad line is
 * tested for, to say so.
 */
public final class JsonLines {

    private static final Charset GBK = Charset.forName("GBK");

    /** One non-blank line: its 1-based number in the file and its bytes, without the line break. */
    public record Line(int number, byte[] bytes) {
    }

    private JsonLines() {
    }

    /** Every non-blank line of {@code in}, LF or CRLF separated. */
    public static List<Line> read(InputStream source) throws IOException {
        InputStream in = source instanceof BufferedInputStream ? source : new BufferedInputStream(source);
        List<Line> lines = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int number = 1;
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                add(lines, number++, current);
            } else {
                current.write(b);
            }
        }
        add(lines, number, current);
        return lines;
    }

    private static void add(List<Line> lines, int number, ByteArrayOutputStream current) {
        byte[] bytes = current.toByteArray();
        current.reset();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        boolean blank = true;
        for (int i = 0; i < end && blank; i++) {
            blank = bytes[i] == ' ' || bytes[i] == '\t';
        }
        if (!blank) {
            lines.add(new Line(number, end == bytes.length ? bytes : Arrays.copyOf(bytes, end)));
        }
    }

    /**
     * Null when {@code bytes} are UTF-8; else what is wrong and what to do, naming the first bad byte's position
     * and never quoting the text (it holds names and ID numbers).
     */
    public static String utf8Problem(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.min(bytes.length, 8192) + 1);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return "byte " + (in.position() + 1) + " is not UTF-8" + (readsAsGbk(bytes)
                        ? "; the text reads as GBK, as Chinese spreadsheet and Windows tools save it: save it as UTF-8"
                        : ": save the text as UTF-8");
            }
            if (result.isUnderflow()) {
                return null;
            }
            out.clear();
        }
    }

    private static boolean readsAsGbk(byte[] bytes) {
        try {
            GBK.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
