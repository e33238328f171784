package com.facecheck.provider;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * The one rule for where the provider is: an {@code http://} or {@code https://} URL with a host, the base its
 * {@code /facecheck} path is added to. It never carries a user name or password: the provider's credentials
 * travel in headers ({@link Credentials}), and a URL is printed in settings, logs and error messages, so a
 * password in it would leak. Refusing such a URL, rather than redacting it, also keeps a second, unused copy
 * of a credential out of every configuration that names the provider.
 */
public record ProviderUrl(URI uri) {

    private static final String EXAMPLE = "https://host[:port]";

    public ProviderUrl {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused(uri.toString(), "must start with http:// or https://, as in " + EXAMPLE);
        }
        if (uri.getRawUserInfo() != null) {
            throw refused(uri.toString(), "carries a user name or password: remove them. The provider's"
                    + " credentials come from " + Credentials.APPCODE_ENV + ", or " + Credentials.APPKEY_ENV + " and "
                    + Credentials.APPSECRET_ENV);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            // The call's path is added to the end: after a query or fragment it would name no endpoint at all.
            throw refused(uri.toString(), "has a query or fragment ('?' or '#'): give the base URL only, as in "
                    + EXAMPLE);
        }
        if (uri.getHost() == null) {
            throw refused(uri.toString(), "has no host: give one such as " + EXAMPLE
                    + " (a host name is letters, digits, '-' and '.')");
        }
    }

    /** Parses a provider URL as given in a setting; spaces around it are ignored. */
    public static ProviderUrl of(String text) {
        Objects.requireNonNull(text, "text");
        try {
            return new ProviderUrl(new URI(text.strip()));
        } catch (URISyntaxException e) {
            // The reason only: the exception's own message quotes the whole input, password and all.
            throw refused(text, "is not a URL (" + e.getReason() + "): give one such as " + EXAMPLE);
        }
    }

    public String host() {
        return uri.getHost();
    }

    /** The port calls go to, the scheme's own when the URL names none. */
    public int port() {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    @Override
    public String toString() {
        return uri.toString();
    }

    private static IllegalArgumentException refused(String url, String problem) {
        return new IllegalArgumentException("the provider URL '" + withoutUserInfo(url) + "' " + problem);
    }

    /**
     * The URL as it may be quoted: whatever stands between the scheme and the last '@' of the authority (a user
     * name and password) becomes "…". Read from the text, because a URL that does not parse may carry one too.
     */
    private static String withoutUserInfo(String url) {
        int start = url.indexOf(':') + 1;
        while (start < url.length() && (url.charAt(start) == '/' || url.charAt(start) == '\\')) {
            start++;
        }
        int end = start;
        while (end < url.length() && "/\\?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        return at < start ? url : url.substring(0, start) + "…" + url.substring(at);
    }
}
