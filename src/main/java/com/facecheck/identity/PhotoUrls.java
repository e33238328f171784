package com.facecheck.identity;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one rule for photo URLs, the URLs the provider is asked to download. A URL is accepted when a browser
 * would fetch it: it is parsed as the WHATWG URL Standard parses the special schemes http and https, so
 * everything browsers and curl forgive is forgiven here too (underscores and Unicode in host names, backslashes,
 * spaces around, tabs and line breaks inside, upper-case schemes, IPv4 in hex or octal). It leaves in the form a
 * browser requests, because the provider's downloader may be far less forgiving: the serialised URL, ASCII only
 * (host names in punycode, path and query percent-encoded), without the fragment, which no client sends to a
 * server. Only what no client could fetch is refused, each kind with its own {@link Problem}.
 */
public final class PhotoUrls {

    /** What was decided about one URL. */
    public sealed interface Check {
    }

    /** @param url the serialised URL, the form to send */
    public record Valid(String url) implements Check {
    }

    public record Invalid(Problem problem) implements Check {
        public String detail() {
            return problem.detail;
        }
    }

    /**
     * Why no client could fetch a URL. The details name the part that is wrong and never quote the URL: its query
     * may carry personal data.
     */
    public enum Problem {
        NOT_A_URL("the photo URL does not start with a scheme (http:// or https://)"),
        NOT_HTTP("the photo URL's scheme is not http or https"),
        NO_HOST("the photo URL has no host"),
        BAD_PORT("the photo URL's port is not a number from 0 to 65535"),
        FORBIDDEN_HOST_CHARACTER("the photo URL's host contains a character no host name may contain"),
        BAD_DOMAIN_NAME("the photo URL's host is not a valid internationalised domain name (UTS #46)"),
        BAD_IPV4("the photo URL's host ends in a number but is not a valid IPv4 address"),
        BAD_IPV6("the photo URL's host in brackets is not a valid IPv6 address"),
        TOO_LONG("the photo URL is longer than the provider accepts (" + RequestValidation.MAX_IMAGE_CHARS
                + " characters)");

        private final String detail;

        Problem(String detail) {
            this.detail = detail;
        }
    }

    /** Ends the parse as soon as the URL is known to be unusable; cheap, because it carries no stack trace. */
    static final class Refusal extends Exception {
        final Problem problem;

        Refusal(Problem problem) {
            super(problem.name(), null, false, false);
            this.problem = problem;
        }
    }

    /** ASCII characters percent-encoded on top of controls and non-ASCII, per URL part (WHATWG encode sets). */
    private static final String QUERY_ENCODED = " \"#<>'";
    private static final String PATH_ENCODED = " \"#<>?^`{}";
    private static final String USERINFO_ENCODED = PATH_ENCODED + "/:;=@[\\]|";

    private PhotoUrls() {
    }

    /** Whether a browser could fetch this URL, and if so the form to send. */
    public static Check check(String url) {
        try {
            String serialised = serialise(prepared(url));
            return serialised.length() > RequestValidation.MAX_IMAGE_CHARS
                    ? new Invalid(Problem.TOO_LONG) : new Valid(serialised);
        } catch (Refusal refusal) {
            return new Invalid(refusal.problem);
        }
    }

    /**
     * Whether a value that is either a URL or base64 photo data (the provider's {@code img}) is meant as a URL:
     * it starts with a scheme. Base64 has no colon, so it never does; {@code data:} URLs are photo data, read by
     * {@link PhotoCheck}. Any other scheme is a URL, and {@link #check} says what is wrong with it if anything.
     */
    public static boolean isUrl(String value) {
        String prepared = prepared(value);
        int colon = schemeEnd(prepared);
        return colon > 0 && !prepared.substring(0, colon).equalsIgnoreCase("data");
    }

    /**
     * What the URL parser actually reads: without leading and trailing C0 controls and spaces, without tabs and
     * line breaks anywhere, and with unpaired surrogates (which UTF-8 cannot encode) as U+FFFD, as a browser's
     * string conversion leaves them.
     */
    private static String prepared(String input) {
        int start = 0;
        int end = input.length();
        while (start < end && input.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && input.charAt(end - 1) <= ' ') {
            end--;
        }
        StringBuilder out = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = input.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(input.charAt(i + 1))) {
                out.append(c).append(input.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    /** Index of the colon ending the scheme, or -1 when the text does not start with one. */
    private static int schemeEnd(String s) {
        if (s.isEmpty() || !isAsciiAlpha(s.charAt(0))) {
            return -1;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':') {
                return i;
            }
            if (!isAsciiAlpha(c) && !isAsciiDigit(c) && c != '+' && c != '-' && c != '.') {
                return -1;
            }
        }
        return -1;
    }

    private static String serialise(String s) throws Refusal {
        int colon = schemeEnd(s);
        if (colon < 0) {
            throw new Refusal(Problem.NOT_A_URL);
        }
        String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
        int defaultPort;
        if (scheme.equals("http")) {
            defaultPort = 80;
        } else if (scheme.equals("https")) {
            defaultPort = 443;
        } else {
            throw new Refusal(Problem.NOT_HTTP);
        }
        // Any run of slashes and backslashes after the scheme introduces the authority, even none at all.
        int authorityStart = colon + 1;
        while (authorityStart < s.length() && isSlash(s.charAt(authorityStart))) {
            authorityStart++;
        }
        int authorityEnd = authorityStart;
        while (authorityEnd < s.length() && !isSlash(s.charAt(authorityEnd)) && s.charAt(authorityEnd) != '?'
                && s.charAt(authorityEnd) != '#') {
            authorityEnd++;
        }
        StringBuilder out = new StringBuilder(s.length() + 16).append(scheme).append("://");
        String authority = s.substring(authorityStart, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            appendUserinfo(authority.substring(0, at), out);
        }
        appendHostAndPort(authority.substring(at + 1), defaultPort, out);
        int pathEnd = authorityEnd;
        while (pathEnd < s.length() && s.charAt(pathEnd) != '?' && s.charAt(pathEnd) != '#') {
            pathEnd++;
        }
        appendPath(s, authorityEnd, pathEnd, out);
        if (pathEnd < s.length() && s.charAt(pathEnd) == '?') {
            int queryEnd = s.indexOf('#', pathEnd);
            out.append('?');
            percentEncode(s, pathEnd + 1, queryEnd < 0 ? s.length() : queryEnd, QUERY_ENCODED, out);
        }
        return out.toString();
    }

    /** User name and password, split at the first colon; left out altogether when both are empty. */
    private static void appendUserinfo(String userinfo, StringBuilder out) {
        int colon = userinfo.indexOf(':');
        String user = colon < 0 ? userinfo : userinfo.substring(0, colon);
        String password = colon < 0 ? "" : userinfo.substring(colon + 1);
        if (user.isEmpty() && password.isEmpty()) {
            return;
        }
        percentEncode(user, 0, user.length(), USERINFO_ENCODED, out);
        if (!password.isEmpty()) {
            out.append(':');
            percentEncode(password, 0, password.length(), USERINFO_ENCODED, out);
        }
        out.append('@');
    }

    private static void appendHostAndPort(String hostAndPort, int defaultPort, StringBuilder out) throws Refusal {
        // The port starts at the first colon outside an IPv6 address's brackets.
        int colon = -1;
        boolean inBrackets = false;
        for (int i = 0; i < hostAndPort.length() && colon < 0; i++) {
            char c = hostAndPort.charAt(i);
            if (c == '[') {
                inBrackets = true;
            } else if (c == ']') {
                inBrackets = false;
            } else if (c == ':' && !inBrackets) {
                colon = i;
            }
        }
        String host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
        if (host.isEmpty()) {
            throw new Refusal(Problem.NO_HOST);
        }
        out.append(UrlHost.serialised(host));
        if (colon >= 0) {
            int port = port(hostAndPort.substring(colon + 1));
            if (port >= 0 && port != defaultPort) {
                out.append(':').append(port);
            }
        }
    }

    /** The port's value; -1 for an empty port, which means the scheme's default. */
    private static int port(String digits) throws Refusal {
        if (digits.isEmpty()) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (!isAsciiDigit(c)) {
                throw new Refusal(Problem.BAD_PORT);
            }
            value = value * 10 + (c - '0');
            if (value > 65535) {
                throw new Refusal(Problem.BAD_PORT);
            }
        }
        return value;
    }

    /**
     * Segments split at slashes and backslashes, each percent-encoded; {@code .} segments dropped and {@code ..}
     * segments removing the one before, also when their dots are percent-encoded. Always starts with a slash.
     */
    private static void appendPath(String s, int start, int end, StringBuilder out) {
        int from = start < end && isSlash(s.charAt(start)) ? start + 1 : start;
        List<String> segments = new ArrayList<>();
        for (int i = from; i <= end; i++) {
            boolean last = i == end;
            if (!last && !isSlash(s.charAt(i))) {
                continue;
            }
            StringBuilder encoded = new StringBuilder();
            percentEncode(s, from, i, PATH_ENCODED, encoded);
            String segment = encoded.toString().toLowerCase(Locale.ROOT);
            boolean up = segment.equals("..") || segment.equals(".%2e") || segment.equals("%2e.")
                    || segment.equals("%2e%2e");
            if (up && !segments.isEmpty()) {
                segments.remove(segments.size() - 1);
            }
            if (up || segment.equals(".") || segment.equals("%2e")) {
                // A dot segment at the end still leaves the path ending in a slash.
                if (last) {
                    segments.add("");
                }
            } else {
                segments.add(encoded.toString());
            }
            from = i + 1;
        }
        for (String segment : segments) {
            out.append('/').append(segment);
        }
    }

    /** UTF-8 percent-encoding of controls, non-ASCII and the part's own ASCII characters; the rest as it is. */
    private static void percentEncode(String s, int start, int end, String encodedAscii, StringBuilder out) {
        for (int i = start; i < end; ) {
            int c = s.codePointAt(i);
            int next = i + Character.charCount(c);
            if (c >= ' ' && c < 0x7F && encodedAscii.indexOf(c) < 0) {
                out.append((char) c);
            } else {
                for (byte b : s.substring(i, next).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            }
            i = next;
        }
    }

    private static boolean isSlash(char c) {
        return c == '/' || c == '\\';
    }

    private static boolean isAsciiAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
