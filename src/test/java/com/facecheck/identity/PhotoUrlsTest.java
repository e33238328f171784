package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.identity.PhotoUrls.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PhotoUrlsTest {

    private static String sent(String url) {
        PhotoUrls.Check check = PhotoUrls.check(url);
        assertThat(check).as(url).isInstanceOf(PhotoUrls.Valid.class);
        return ((PhotoUrls.Valid) check).url();
    }

    private static Problem problem(String url) {
        PhotoUrls.Check check = PhotoUrls.check(url);
        assertThat(check).as(url).isInstanceOf(PhotoUrls.Invalid.class);
        return ((PhotoUrls.Invalid) check).problem();
    }

    @Test
    void aHostWithAnUnderscoreIsAcceptedAsItIs() {
        assertThat(sent("https://id_photos.example.com/p/1.jpg")).isEqualTo("https://id_photos.example.com/p/1.jpg");
        assertThat(sent("https://_dmarc.Example.com/1.jpg")).isEqualTo("https://_dmarc.example.com/1.jpg");
    }

    @Test
    void anInternationalisedHostIsSentInPunycode() {
        assertThat(sent("https://中国.example/a.jpg")).isEqualTo("https://xn--fiqs8s.example/a.jpg");
        // The ideographic full stop separates labels as a dot does; percent-encoded UTF-8 is decoded first.
        assertThat(sent("https://中国。example/a.jpg")).isEqualTo("https://xn--fiqs8s.example/a.jpg");
        assertThat(sent("https://%E4%B8%AD%E5%9B%BD.example/a.jpg")).isEqualTo("https://xn--fiqs8s.example/a.jpg");
        // Nontransitional, as browsers: ß is kept rather than turned into ss.
        assertThat(sent("http://faß.de/")).isEqualTo("http://xn--fa-hia.de/");
        assertThat(sent("https://XN--FIQS8S.example/")).isEqualTo("https://xn--fiqs8s.example/");
        // Labels browsers fetch although DNS rules (hyphens, empty labels) would object.
        assertThat(sent("https://-photos-.ab--cd.example./")).isEqualTo("https://-photos-.ab--cd.example./");
    }

    @Test
    void theSchemeAndHostAreCaseInsensitiveAndSentInLowerCase() {
        assertThat(sent("HTTPS://Photos.Example.COM/P/1.JPG")).isEqualTo("https://photos.example.com/P/1.JPG");
        assertThat(sent("HtTp://X/")).isEqualTo("http://x/");
    }

    @Test
    void backslashesAreSlashesAndAnyNumberOfThemIntroducesTheHost() {
        assertThat(sent("https:\\\\photos.example.com\\p\\1.jpg")).isEqualTo("https://photos.example.com/p/1.jpg");
        assertThat(sent("https:/\\/photos.example.com/1.jpg")).isEqualTo("https://photos.example.com/1.jpg");
        assertThat(sent("http:photos.example.com")).isEqualTo("http://photos.example.com/");
    }

    @Test
    void spacesAndControlsAroundAndTabsOrLineBreaksInsideAreDropped() {
        assertThat(sent("  https://photos.example.com/1.jpg \n")).isEqualTo("https://photos.example.com/1.jpg");
        assertThat(sent("\u0000\u001Fhttps://photos.example.com/1.jpg\u0007")).isEqualTo("https://photos.example.com/1.jpg");
        assertThat(sent("https://photos.exam\tple.com/p/\r\n1.jpg")).isEqualTo("https://photos.example.com/p/1.jpg");
    }

    @Test
    void userNameAndPasswordAreKeptPercentEncoded() {
        assertThat(sent("https://user:pa ss@photos.example.com/1.jpg")).isEqualTo("https://user:pa%20ss@photos.example.com/1.jpg");
        // The last @ ends the user information; an earlier one is part of it.
        assertThat(sent("https://me@home:secret@photos.example.com/")).isEqualTo("https://me%40home:secret@photos.example.com/");
        assertThat(sent("https://:@photos.example.com/")).isEqualTo("https://photos.example.com/");
    }

    @Test
    void anIpv4AddressInAnyFormBrowsersAcceptIsSentDotted() {
        assertThat(sent("http://0x7f.1/")).isEqualTo("http://127.0.0.1/");
        assertThat(sent("http://0177.0.0.1/")).isEqualTo("http://127.0.0.1/");
        assertThat(sent("http://2130706433/")).isEqualTo("http://127.0.0.1/");
        assertThat(sent("http://192.168.257/")).isEqualTo("http://192.168.1.1/");
        assertThat(sent("http://4294967295./")).isEqualTo("http://255.255.255.255/");
        assertThat(sent("http://%30x7f.1/")).isEqualTo("http://127.0.0.1/");
    }

    @Test
    void anIpv6AddressInBracketsIsSentCompressed() {
        assertThat(sent("http://[::1]:8080/a.jpg")).isEqualTo("http://[::1]:8080/a.jpg");
        assertThat(sent("http://[1:0:0:0:0:0:0:1]/")).isEqualTo("http://[1::1]/");
        assertThat(sent("http://[0:0:1:0:0:0:0:0]/")).isEqualTo("http://[0:0:1::]/");
        assertThat(sent("http://[1:0:0:2:0:0:0:3]/")).isEqualTo("http://[1:0:0:2::3]/");
        assertThat(sent("http://[::FFFF:192.168.0.1]/")).isEqualTo("http://[::ffff:c0a8:1]/");
        assertThat(sent("http://[1:2:3:4:5:6:7:8]/")).isEqualTo("http://[1:2:3:4:5:6:7:8]/");
    }

    @Test
    void pathAndQueryAreSentPercentEncodedWithDotSegmentsResolvedAndWithoutTheFragment() {
        assertThat(sent("https://photos.example.com/照片/a b.jpg?who=李三&n='1'#top"))
                .isEqualTo("https://photos.example.com/%E7%85%A7%E7%89%87/a%20b.jpg?who=%E6%9D%8E%E4%B8%89&n=%271%27");
        assertThat(sent("https://photos.example.com/a/./b/../%2e%2E/c/.")).isEqualTo("https://photos.example.com/c/");
        assertThat(sent("https://photos.example.com/a^b`c{d}|e%zz")).isEqualTo("https://photos.example.com/a%5Eb%60c%7Bd%7D|e%zz");
        assertThat(sent("https://photos.example.com?x")).isEqualTo("https://photos.example.com/?x");
        // An unpaired surrogate cannot be encoded in UTF-8: it is sent as U+FFFD, as a browser does.
        assertThat(sent("https://photos.example.com/\uD800")).isEqualTo("https://photos.example.com/%EF%BF%BD");
    }

    @Test
    void theDefaultPortIsLeftOutAndAnyOtherKept() {
        assertThat(sent("https://photos.example.com:443/1.jpg")).isEqualTo("https://photos.example.com/1.jpg");
        assertThat(sent("http://photos.example.com:0080/1.jpg")).isEqualTo("http://photos.example.com/1.jpg");
        assertThat(sent("http://photos.example.com:443/1.jpg")).isEqualTo("http://photos.example.com:443/1.jpg");
        assertThat(sent("http://photos.example.com:65535/")).isEqualTo("http://photos.example.com:65535/");
        assertThat(sent("http://photos.example.com:0/")).isEqualTo("http://photos.example.com:0/");
        assertThat(sent("http://photos.example.com:/")).isEqualTo("http://photos.example.com/");
    }

    @Test
    void eachKindOfUrlNoClientCouldFetchHasItsProblem() {
        assertThat(problem("photos.example.com/1.jpg")).isEqualTo(Problem.NOT_A_URL);
        assertThat(problem("")).isEqualTo(Problem.NOT_A_URL);
        assertThat(problem("ftp://photos.example.com/1.jpg")).isEqualTo(Problem.NOT_HTTP);
        assertThat(problem("data:image/jpeg;base64,/9j/4AAQ")).isEqualTo(Problem.NOT_HTTP);
        assertThat(problem("javascript:alert(1)")).isEqualTo(Problem.NOT_HTTP);
        assertThat(problem("https://")).isEqualTo(Problem.NO_HOST);
        assertThat(problem("https:///")).isEqualTo(Problem.NO_HOST);
        assertThat(problem("https://user@/1.jpg")).isEqualTo(Problem.NO_HOST);
        assertThat(problem("https://:443/")).isEqualTo(Problem.NO_HOST);
        assertThat(problem("https://\u00AD/")).isEqualTo(Problem.NO_HOST);
        assertThat(problem("https://photos.example.com:65536/")).isEqualTo(Problem.BAD_PORT);
        assertThat(problem("https://photos.example.com:99999999999999999999/")).isEqualTo(Problem.BAD_PORT);
        assertThat(problem("https://photos.example.com:8o/")).isEqualTo(Problem.BAD_PORT);
        assertThat(problem("http://exa mple.com/")).isEqualTo(Problem.FORBIDDEN_HOST_CHARACTER);
        assertThat(problem("http://exa%20mple.com/")).isEqualTo(Problem.FORBIDDEN_HOST_CHARACTER);
        assertThat(problem("http://a<b/")).isEqualTo(Problem.FORBIDDEN_HOST_CHARACTER);
        assertThat(problem("http://a%25b/")).isEqualTo(Problem.FORBIDDEN_HOST_CHARACTER);
        assertThat(problem("http://xn--/")).isEqualTo(Problem.BAD_DOMAIN_NAME);
        assertThat(problem("http://a\u200Db.example/")).isEqualTo(Problem.BAD_DOMAIN_NAME);
        assertThat(problem("http://%FF.example/")).isEqualTo(Problem.BAD_DOMAIN_NAME);
        assertThat(problem("http://256.1/")).isEqualTo(Problem.BAD_IPV4);
        assertThat(problem("http://1.2.3.4.5/")).isEqualTo(Problem.BAD_IPV4);
        assertThat(problem("http://photos.example.123/")).isEqualTo(Problem.BAD_IPV4);
        assertThat(problem("http://09/")).isEqualTo(Problem.BAD_IPV4);
        assertThat(problem("http://0x100000000/")).isEqualTo(Problem.BAD_IPV4);
        assertThat(problem("http://[::1/")).isEqualTo(Problem.BAD_IPV6);
        assertThat(problem("http://[1::2::3]/")).isEqualTo(Problem.BAD_IPV6);
        assertThat(problem("http://[1:2:3:4:5:6:7:8:9]/")).isEqualTo(Problem.BAD_IPV6);
        assertThat(problem("http://[::1.2.3.04]/")).isEqualTo(Problem.BAD_IPV6);
        assertThat(problem("http://[::1]x/")).isEqualTo(Problem.BAD_IPV6);
    }

    @Test
    void theProvidersLengthLimitCountsTheUrlAsSent() {
        String prefix = "https://photos.example.com/";
        String atLimit = prefix + "a".repeat(RequestValidation.MAX_IMAGE_CHARS - prefix.length());
        assertThat(sent(atLimit)).hasSize(RequestValidation.MAX_IMAGE_CHARS);
        assertThat(problem(atLimit + "a")).isEqualTo(Problem.TOO_LONG);
        // Short as typed, but each Chinese character is sent as nine characters of percent-encoding.
        String typed = prefix + "照".repeat(RequestValidation.MAX_IMAGE_CHARS / 9);
        assertThat(typed.length()).isLessThan(RequestValidation.MAX_IMAGE_CHARS);
        assertThat(problem(typed)).isEqualTo(Problem.TOO_LONG);
    }

    @Test
    void everyDetailIsItsOwnAndNoneQuotesTheUrl() {
        String personal = "35020319900101123X";
        List<String> refused = List.of("ftp://photos.example.com/1.jpg?sfz=" + personal,
                "https://" + personal + ".example.com:99999/?xm=李三", "https://李三 " + personal + ".example/",
                "https://" + personal + ".0x/", "https://[" + personal + "]/", "photos/" + personal);
        for (String url : refused) {
            assertThat(((PhotoUrls.Invalid) PhotoUrls.check(url)).detail()).as(url)
                    .doesNotContain(personal).doesNotContain("李").doesNotContain("example");
        }
        Set<String> details = new HashSet<>();
        for (Problem problem : Problem.values()) {
            details.add(new PhotoUrls.Invalid(problem).detail());
        }
        assertThat(details).hasSameSizeAs(Problem.values());
    }

    @Test
    void imgIsAUrlWhenItStartsWithASchemeOtherThanData() {
        assertThat(PhotoUrls.isUrl(" HTTPS://photos.example.com/1.jpg")).isTrue();
        assertThat(PhotoUrls.isUrl("https:\\\\photos.example.com\\1.jpg")).isTrue();
        // Not fetchable, but meant as a URL: the check says why rather than calling it bad base64.
        assertThat(PhotoUrls.isUrl("ftp://photos.example.com/1.jpg")).isTrue();
        assertThat(PhotoUrls.isUrl("javascript:alert(1)")).isTrue();
        assertThat(PhotoUrls.isUrl("/9j/4AAQSkZJRgABAQ==")).isFalse();
        assertThat(PhotoUrls.isUrl("iVBORw0KGgoAAAANSUhEUgAA+/\n")).isFalse();
        assertThat(PhotoUrls.isUrl("data:image/jpeg;base64,/9j/4AAQ")).isFalse();
        assertThat(PhotoUrls.isUrl("DATA:image/png;base64,iVBORw0KGgo")).isFalse();
        assertThat(PhotoUrls.isUrl("")).isFalse();
    }

    /** docs/contracts.md lists one row per problem; the examples of a row must all get that row's problem. */
    @Test
    void theContractsTableOfRefusedUrlsIsWhatTheCheckSays() throws Exception {
        String doc = Files.readString(Path.of("docs", "contracts.md"));
        int start = doc.indexOf("## Photo URLs");
        assertThat(start).isNotNegative();
        int end = doc.indexOf("\n## ", start + 1);
        String section = doc.substring(start, end < 0 ? doc.length() : end);
        Matcher row = Pattern.compile("(?m)^\\| ([^|]+) \\| ([^|]+) \\|$").matcher(section);
        Pattern example = Pattern.compile("`([^`]+)`");
        List<Problem> rowProblems = new ArrayList<>();
        int rows = 0;
        while (row.find()) {
            if (row.group(1).equals("what is wrong") || row.group(1).startsWith("---")) {
                continue;
            }
            rows++;
            Set<Problem> problems = new HashSet<>();
            Matcher url = example.matcher(row.group(2));
            while (url.find()) {
                problems.add(problem(url.group(1)));
            }
            assertThat(problems).as(row.group()).hasSizeLessThanOrEqualTo(1);
            rowProblems.addAll(problems);
        }
        assertThat(rows).isEqualTo(Problem.values().length);
        assertThat(new HashSet<>(rowProblems)).hasSameSizeAs(rowProblems);
        // The one row without an example is the length limit, tested above.
        assertThat(rowProblems).containsExactlyInAnyOrderElementsOf(Arrays.stream(Problem.values())
                .filter(p -> p != Problem.TOO_LONG).toList());
    }
}
