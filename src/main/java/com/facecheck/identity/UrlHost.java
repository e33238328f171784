package com.facecheck.identity;

import com.facecheck.identity.PhotoUrls.Problem;
import com.facecheck.identity.PhotoUrls.Refusal;
import com.ibm.icu.text.IDNA;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The host of an http(s) URL as the WHATWG URL Standard reads it: an IPv6 address in brackets, an IPv4 address
 * in any of the forms browsers accept ({@code 0x7f.1} is 127.0.0.1), or a domain name, percent-decoded and
 * mapped to ASCII by UTS #46. Each comes back serialised, the form a browser puts on the wire.
 */
final class UrlHost {

    /** Nontransitional, so {@code ß} stays {@code ß}, with the bidi and joiner checks browsers make. */
    private static final IDNA UTS46 =
            IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ);

    /**
     * Browsers map host names with CheckHyphens and VerifyDnsLength off: labels such as {@code -x-} or
     * {@code ab--cd}, empty labels and overlong names are fetched. ICU reports them all the same; these are
     * ignored. Not using STD3 rules (the option is left out above) is what lets underscores through.
     */
    private static final Set<IDNA.Error> NOT_CHECKED_BY_BROWSERS = EnumSet.of(IDNA.Error.LEADING_HYPHEN,
            IDNA.Error.TRAILING_HYPHEN, IDNA.Error.HYPHEN_3_4, IDNA.Error.EMPTY_LABEL, IDNA.Error.LABEL_TOO_LONG,
            IDNA.Error.DOMAIN_NAME_TOO_LONG);

    /** Characters no domain name may contain after mapping, besides C0 controls and DEL. */
    private static final String FORBIDDEN = " #%/:<>?@[\\]^|";

    private UrlHost() {
    }

    static String serialised(String host) throws Refusal {
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) {
                throw new Refusal(Problem.BAD_IPV6);
            }
            return "[" + ipv6(host.substring(1, host.length() - 1)) + "]";
        }
        String ascii = domainToAscii(new String(percentDecoded(host), StandardCharsets.UTF_8));
        return endsInANumber(ascii) ? ipv4(ascii) : ascii;
    }

    private static byte[] percentDecoded(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
                out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        return isDigitIn((char) b, 16) ? Character.digit((char) b, 16) : -1;
    }

    private static String domainToAscii(String domain) throws Refusal {
        IDNA.Info info = new IDNA.Info();
        String ascii = UTS46.nameToASCII(domain, new StringBuilder(), info).toString();
        Set<IDNA.Error> errors = info.getErrors().isEmpty() ? EnumSet.noneOf(IDNA.Error.class)
                : EnumSet.copyOf(info.getErrors());
        errors.removeAll(NOT_CHECKED_BY_BROWSERS);
        if (!errors.isEmpty()) {
            throw new Refusal(Problem.BAD_DOMAIN_NAME);
        }
        // Only characters that map to nothing (such as a soft hyphen) were there.
        if (ascii.isEmpty()) {
            throw new Refusal(Problem.NO_HOST);
        }
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if (c < ' ' || c == 0x7F || FORBIDDEN.indexOf(c) >= 0) {
                throw new Refusal(Problem.FORBIDDEN_HOST_CHARACTER);
            }
        }
        return ascii;
    }

    /** Labels split at every dot, empty ones kept. */
    private static List<String> labels(String domain) {
        return new ArrayList<>(Arrays.asList(domain.split("\\.", -1)));
    }

    /**
     * Whether the last label (before a trailing dot) is a number: then the host must be an IPv4 address, and
     * {@code example.123} is refused rather than looked up as a name.
     */
    private static boolean endsInANumber(String domain) {
        List<String> labels = labels(domain);
        if (labels.get(labels.size() - 1).isEmpty()) {
            if (labels.size() == 1) {
                return false;
            }
            labels.remove(labels.size() - 1);
        }
        String last = labels.get(labels.size() - 1);
        if (!last.isEmpty() && last.chars().allMatch(c -> isDigitIn((char) c, 10))) {
            return true;
        }
        return last.length() >= 2 && last.charAt(0) == '0' && (last.charAt(1) == 'x' || last.charAt(1) == 'X')
                && last.substring(2).chars().allMatch(c -> isDigitIn((char) c, 16));
    }

    /** One to four numbers, each decimal, octal (leading 0) or hex (0x); the last fills the remaining bytes. */
    private static String ipv4(String domain) throws Refusal {
        List<String> parts = labels(domain);
        if (parts.size() > 1 && parts.get(parts.size() - 1).isEmpty()) {
            parts.remove(parts.size() - 1);
        }
        if (parts.size() > 4) {
            throw new Refusal(Problem.BAD_IPV4);
        }
        long address = 0;
        for (int i = 0; i < parts.size(); i++) {
            long number = ipv4Number(parts.get(i));
            boolean last = i == parts.size() - 1;
            if (!last && number > 255 || last && number >= 1L << (8 * (5 - parts.size()))) {
                throw new Refusal(Problem.BAD_IPV4);
            }
            address = last ? address + number : address + (number << (8 * (3 - i)));
        }
        return (address >> 24) + "." + ((address >> 16) & 0xFF) + "." + ((address >> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    private static long ipv4Number(String text) throws Refusal {
        if (text.isEmpty()) {
            throw new Refusal(Problem.BAD_IPV4);
        }
        int radix = 10;
        String digits = text;
        if (text.length() >= 2 && text.charAt(0) == '0' && (text.charAt(1) == 'x' || text.charAt(1) == 'X')) {
            radix = 16;
            digits = text.substring(2);
        } else if (text.length() >= 2 && text.charAt(0) == '0') {
            radix = 8;
            digits = text.substring(1);
        }
        // Saturates instead of overflowing: anything from 2^32 up is too large for any part.
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (!isDigitIn(c, radix)) {
                throw new Refusal(Problem.BAD_IPV4);
            }
            value = Math.min(value * radix + Character.digit(c, radix), 1L << 32);
        }
        return value;
    }

    /** ASCII digits only: {@link Character#digit} also takes full-width and other scripts' digits. */
    private static boolean isDigitIn(char c, int radix) {
        return c < 0x80 && Character.digit(c, radix) >= 0;
    }

    /** Eight 16-bit pieces, {@code ::} standing for a run of zero pieces, optionally ending in dotted IPv4. */
    private static String ipv6(String text) throws Refusal {
        int[] pieces = new int[8];
        int piece = 0;
        int compress = -1;
        int p = 0;
        int n = text.length();
        if (p < n && text.charAt(p) == ':') {
            if (p + 1 >= n || text.charAt(p + 1) != ':') {
                throw new Refusal(Problem.BAD_IPV6);
            }
            p += 2;
            compress = ++piece;
        }
        while (p < n) {
            if (piece == 8) {
                throw new Refusal(Problem.BAD_IPV6);
            }
            if (text.charAt(p) == ':') {
                if (compress >= 0) {
                    throw new Refusal(Problem.BAD_IPV6);
                }
                p++;
                compress = ++piece;
                continue;
            }
            int value = 0;
            int length = 0;
            while (length < 4 && p < n && isDigitIn(text.charAt(p), 16)) {
                value = value * 16 + Character.digit(text.charAt(p), 16);
                p++;
                length++;
            }
            if (p < n && text.charAt(p) == '.') {
                if (length == 0 || piece > 6) {
                    throw new Refusal(Problem.BAD_IPV6);
                }
                ipv4InIpv6(text.substring(p - length), pieces, piece);
                piece += 2;
                p = n;
                break;
            }
            if (p < n && text.charAt(p) == ':') {
                p++;
                if (p == n) {
                    throw new Refusal(Problem.BAD_IPV6);
                }
            } else if (p < n) {
                throw new Refusal(Problem.BAD_IPV6);
            }
            pieces[piece++] = value;
        }
        if (compress >= 0) {
            // Moves the pieces after "::" to the end; the ones in between stay zero.
            int moved = piece - compress;
            System.arraycopy(pieces, compress, pieces, 8 - moved, moved);
            Arrays.fill(pieces, compress, 8 - moved, 0);
        } else if (piece != 8) {
            throw new Refusal(Problem.BAD_IPV6);
        }
        return ipv6Serialised(pieces);
    }

    /** Exactly four decimal numbers up to 255, without leading zeros, filling two pieces. */
    private static void ipv4InIpv6(String text, int[] pieces, int piece) throws Refusal {
        String[] numbers = text.split("\\.", -1);
        if (numbers.length != 4) {
            throw new Refusal(Problem.BAD_IPV6);
        }
        for (int i = 0; i < 4; i++) {
            String number = numbers[i];
            boolean digits = !number.isEmpty() && number.chars().allMatch(c -> isDigitIn((char) c, 10));
            if (!digits || number.length() > 3 || number.length() > 1 && number.charAt(0) == '0'
                    || Integer.parseInt(number) > 255) {
                throw new Refusal(Problem.BAD_IPV6);
            }
            pieces[piece + i / 2] = pieces[piece + i / 2] * 256 + Integer.parseInt(number);
        }
    }

    /** Lower-case hex without leading zeros, the first longest run of two or more zero pieces as {@code ::}. */
    private static String ipv6Serialised(int[] pieces) {
        int runStart = -1;
        int runLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && pieces[j] == 0) {
                j++;
            }
            if (j - i > runLength) {
                runStart = i;
                runLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == runStart) {
                out.append(i == 0 ? "::" : ":");
                i += runLength - 1;
                continue;
            }
            out.append(Integer.toHexString(pieces[i]));
            if (i != 7) {
                out.append(':');
            }
        }
        return out.toString();
    }
}
