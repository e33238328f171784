package com.facecheck.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FormEncodingTest {

    @Test
    void writesExactlyWhatUrlEncoderWrites() {
        for (String value : new String[]{"", "张三", "a b+c/d=e&f%g", "3502031980010100 1X", "~!*'();:@$,?#[]",
                "emoji 😀 and 𠀀", "lone \uD800 high", "lone \uDC00 low", "end \uD83D", "tab\tnew\nline",
                "/9j/4AAQSkZJRgABAQ+/=="}) {
            assertSameAsUrlEncoder(value);
        }
    }

    @Test
    void writesRandomTextAsUrlEncoderDoes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n = 0; n < 2_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                // Mostly ASCII, some CJK, some surrogates paired or not.
                int kind = random.nextInt(10);
                text.append((char) (kind < 6 ? random.nextInt(0x80) : kind < 8 ? 0x4E00 + random.nextInt(0x5000)
                        : 0xD800 + random.nextInt(0x800)));
            }
            assertSameAsUrlEncoder(text.toString());
        }
    }

    @Test
    void joinsFieldsInTheirOrder() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("xm", "李四");
        fields.put("sfz", "35020319800101001X");
        fields.put("img", "ab+/=");
        assertThat(FormEncoding.encode(fields).toString(StandardCharsets.US_ASCII))
                .isEqualTo("xm=%E6%9D%8E%E5%9B%9B&sfz=35020319800101001X&img=ab%2B%2F%3D");
    }

    private static void assertSameAsUrlEncoder(String value) {
        Map<String, String> fields = Map.of("f", value);
        assertThat(FormEncoding.encode(fields).toString(StandardCharsets.US_ASCII)).as("encoding of %s", value)
                .isEqualTo("f=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
