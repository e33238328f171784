package com.facecheck.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.facecheck.identity.KeyedHasher;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private final RequestParser parser = parser("parser-test-secret-0123456789");

    private static RequestParser parser(String secret) {
        return new RequestParser(new KeyedHasher(secret.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsEveryFieldOfTheContract() {
        VerificationRequest r = parser.parse(utf8("{\"requestId\":\" r1 \",\"name\":\"李三\",\"idNumber\":\"35020319900101123X\","
                + "\"image\":\"/9j/\",\"consentId\":\"c\",\"source\":\"s\",\"metadata\":{\"k\":[1,2]},\"extra\":true}"));
        assertThat(r.requestId()).isEqualTo("r1");
        assertThat(r.name()).isEqualTo("李三");
        assertThat(r.idNumber()).isEqualTo("35020319900101123X");
        assertThat(r.image()).isEqualTo("/9j/");
        assertThat(r.consentId()).isEqualTo("c");
        assertThat(r.source()).isEqualTo("s");
        assertThat(r.metadata().path("k").get(1).asInt()).isEqualTo(2);
    }

    @Test
    void acceptsTheProvidersFieldNamesAndAUrlInImg() {
        VerificationRequest base64 = parser.parse(utf8("{\"requestId\":\"a\",\"xm\":\"李三\",\"sfz\":\"1\",\"img\":\"/9j/\"}"));
        assertThat(base64.name()).isEqualTo("李三");
        assertThat(base64.idNumber()).isEqualTo("1");
        assertThat(base64.image()).isEqualTo("/9j/");
        // Carried as sent: the validation makes the one form that goes to the provider.
        VerificationRequest url = parser.parse(utf8("{\"requestId\":\"b\",\"img\":\" HTTPS:\\\\x\\\\y.jpg\"}"));
        assertThat(url.image()).isNull();
        assertThat(url.imageUrl()).isEqualTo(" HTTPS:\\x\\y.jpg");
    }

    @Test
    void imgIsAUrlWhenItHasAnySchemeButData() {
        VerificationRequest ftp = parser.parse(utf8("{\"requestId\":\"c\",\"img\":\"ftp://x/y.jpg\"}"));
        assertThat(ftp.imageUrl()).isEqualTo("ftp://x/y.jpg");
        assertThat(ftp.image()).isNull();
        VerificationRequest data = parser.parse(utf8("{\"requestId\":\"d\",\"img\":\"data:image/jpeg;base64,/9j/\"}"));
        assertThat(data.image()).isEqualTo("data:image/jpeg;base64,/9j/");
        assertThat(data.imageUrl()).isNull();
    }

    @Test
    void derivesTheSameIdForTheSameContentAndADifferentOneOtherwise() {
        String body = "{\"name\":\"李三\",\"idNumber\":\"35020319900101123X\",\"image\":\"/9j/\"}";
        String id = parser.parse(utf8(body)).requestId();
        assertThat(id).startsWith(RequestParser.DERIVED_ID_PREFIX).hasSize(RequestParser.DERIVED_ID_PREFIX.length() + 32);
        assertThat(parser.parse(utf8(body)).requestId()).isEqualTo(id);
        assertThat(parser.parse(utf8(body.replace("/9j/", "/9k/"))).requestId()).isNotEqualTo(id);
        assertThat(parser("another-secret-0123456789").parse(utf8(body)).requestId()).isNotEqualTo(id);
        assertThat(id).doesNotContain("35020319900101123X");
    }

    @Test
    void saysWhyBytesAreNotARequestWithoutQuotingThem() {
        assertThatThrownBy(() -> parser.parse(utf8("李三 35020319900101123X")))
                .isInstanceOf(RequestParser.NotARequestException.class)
                .hasMessageContaining("not valid JSON").hasMessageNotContaining("3502");
        assertThatThrownBy(() -> parser.parse(utf8("[1]"))).hasMessageContaining("not an object (found array)");
        assertThatThrownBy(() -> parser.parse(utf8("{\"name\":42}"))).hasMessage("field 'name' must be a string, found number");
        assertThatThrownBy(() -> parser.parse(utf8("{\"sfz\":350203}"))).hasMessage("field 'sfz' must be a string, found number");
        assertThatThrownBy(() -> parser.parse(new byte[0])).hasMessageContaining("no value");
        assertThatThrownBy(() -> parser.parse(null)).hasMessageContaining("no value");
    }

    @Test
    void aRecordOfTwoValuesOrWithAFieldTwiceIsNoRequest() {
        String one = "{\"requestId\":\"a\",\"name\":\"李三\"}";
        assertThatThrownBy(() -> parser.parse(utf8(one + "\n" + one.replace("\"a\"", "\"b\""))))
                .hasMessage("the value holds more than one JSON value (line 2, column 1)");
        assertThatThrownBy(() -> parser.parse(utf8(one + " x"))).hasMessageStartingWith("the value is not valid JSON");
        assertThatThrownBy(() -> parser.parse(utf8("{\"name\":\"李三\",\"name\":\"李3\"}")))
                .hasMessageStartingWith("the value gives a field twice in one object (line 1,")
                .hasMessageNotContaining("name");
        assertThatThrownBy(() -> parser.parse(utf8("{\"requestId\":\"a\",\"metadata\":{\"k\":1,\"k\":2}}")))
                .hasMessageStartingWith("the value gives a field twice");
        assertThat(parser.parse(utf8(one + " \n\t")).requestId()).as("white space after the object").isEqualTo("a");
    }

    @Test
    void theToStringOfARequestIsMasked() {
        VerificationRequest r = parser.parse(utf8("{\"requestId\":\"a\",\"name\":\"李三\",\"idNumber\":\"35020319900101123X\",\"image\":\"/9j/4AAQ\"}"));
        assertThat(r.toString()).contains("李**").contains("3502*****3X").doesNotContain("李三")
                .doesNotContain("35020319900101123X").doesNotContain("/9j/4AAQ");
    }

    @Test
    void bytesThatAreNotUtf8AreNoRequestAndTheReasonNamesGbk() {
        byte[] gbk = "{\"requestId\":\"g\",\"name\":\"张三\"}".getBytes(Charset.forName("GBK"));
        assertThatThrownBy(() -> parser.parse(gbk)).isInstanceOf(RequestParser.NotARequestException.class)
                .hasMessageContaining("not UTF-8").hasMessageContaining("GBK").hasMessageContaining("byte 26");
    }

    @Test
    void passThroughFieldsThatWouldSwellEveryRecordWrittenAreRefused() {
        String longest = "x".repeat(RequestParser.MAX_ID_CHARS);
        for (String field : List.of("requestId", "consentId", "source")) {
            byte[] tooLong = utf8(Json.MAPPER.createObjectNode().put("requestId", "r").put(field, longest + "x").toString());
            assertThatThrownBy(() -> parser.parse(tooLong)).as(field)
                    .hasMessageContaining("'" + field + "' has " + (longest.length() + 1) + " characters");
            assertThat(parser.parse(utf8(Json.MAPPER.createObjectNode().put("requestId", "r").put(field, longest)
                    .toString()))).as(field).isNotNull();
        }
        var bulky = Json.MAPPER.createObjectNode().put("requestId", "r");
        bulky.putObject("metadata").put("blob", "y".repeat(RequestParser.MAX_METADATA_BYTES));
        assertThatThrownBy(() -> parser.parse(utf8(bulky.toString()))).hasMessageContaining("'metadata' is");
    }
}
