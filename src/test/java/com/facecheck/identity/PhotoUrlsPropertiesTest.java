package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PhotoUrlsPropertiesTest {

    /**
     * Pieces that reach every branch of the parser (ports, brackets, percent-escapes, number-like labels,
     * punycode, characters that map to nothing or are forbidden, unpaired surrogates) far more often than
     * uniformly random text does.
     */
    @Provide
    Arbitrary<String> urlLike() {
        Arbitrary<String> start = Arbitraries.of("http://", "https://", "HTTPS:\\\\", "http:", "https:///", " http://",
                "ftp://", "data:", "");
        Arbitrary<String> pieces = Arbitraries.of("a", "Z", "0", "9", "0x", "7f", "08", "255", "256", "4294967296",
                        "65535", "65536", ".", "..", "%2e", ":", "::", "/", "\\", "@", "[", "]", "%", "%41", "%E4%B8%AD",
                        "%zz", "%00", "?", "#", " ", "\t", "\n", "中国", "ß", "xn--", "xn--fiqs8s", "\u200D", "\u00AD",
                        "\uD800", "。", "_", "-", "1.2.3.4", "::ffff:", "|", "^", "<", "'", "\u0000", "\u007F", "\uFFFD")
                .list().ofMaxSize(16).map(list -> String.join("", list));
        return Combinators.combine(start, pieces).as(String::concat);
    }

    @Property
    void anyTextGetsAnAnswerNeverAnException(@ForAll String text) {
        assertThat(PhotoUrls.check(text)).isNotNull();
        PhotoUrls.isUrl(text);
    }

    @Property(tries = 3000)
    void aUrlLikeTextGetsAnAnswerAndAnAcceptedOneIsSentAsASingleAsciiLine(@ForAll("urlLike") String text) {
        PhotoUrls.Check check = PhotoUrls.check(text);
        if (check instanceof PhotoUrls.Valid valid) {
            assertThat(valid.url()).matches("https?://[\\x21-\\x7E]+").doesNotContain("#")
                    .hasSizeLessThanOrEqualTo(RequestValidation.MAX_IMAGE_CHARS);
            // What is sent is already in the form it would be sent in: checking it again changes nothing.
            assertThat(PhotoUrls.check(valid.url())).isEqualTo(check);
        } else {
            assertThat(check).isInstanceOf(PhotoUrls.Invalid.class);
        }
    }
}
