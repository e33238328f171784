package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "李三|李三",
            "' 李三　'|李三",
            "李 三|李三",
            "阿依古丽·买买提|阿依古丽·买买提",
            "阿依古丽.买买提|阿依古丽·买买提",
            "阿依古丽•买买提|阿依古丽·买买提",
            "阿依古丽・买买提|阿依古丽·买买提",
            "阿依古丽‧买买提|阿依古丽·买买提",
            "ＪＯＨＮ|JOHN",
    })
    void normalisesOnlyWhatIsCertainlyTheSameName(String raw, String sent) {
        assertThat(Names.check(raw)).isEqualTo(new Names.NameCheck.Valid(sent));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "'   '|missing-name",
            "李三3|name-has-digits",
            "李三３|name-has-digits",
            "测试*|name-has-asterisk",
            "李\u0007三|name-has-control-characters",
            "李\u200B三|name-has-control-characters",
            "李三@|name-has-invalid-characters",
            "·李三|name-has-invalid-characters",
            "李··三|name-has-invalid-characters",
    })
    void refusesWhatCannotBeSentNamingTheReason(String raw, String reason) {
        assertThat(Names.check(raw)).isInstanceOfSatisfying(Names.NameCheck.Invalid.class, invalid -> {
            assertThat(invalid.reason()).isEqualTo(reason);
            assertThat(invalid.detail()).doesNotContain("李三");
        });
    }

    @ParameterizedTest
    @CsvSource({"50, true", "51, false"})
    void takesAtMostFiftyCharacters(int length, boolean valid) {
        assertThat(Names.check("李".repeat(length)) instanceof Names.NameCheck.Valid).isEqualTo(valid);
    }
}
