package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CheckCharacterTest {

    @Test
    void computesTheStandardsOwnExample() {
        // GB 11643-1999's worked example.
        assertThat(CheckCharacter.of("11010519491231002")).isEqualTo('X');
        assertThat(CheckCharacter.isValid("11010519491231002X")).isTrue();
        assertThat(CheckCharacter.isValid("11010519491231002x")).isTrue();
    }

    @Test
    void rejectsAWrongCheckCharacterAndMalformedNumbers() {
        assertThat(CheckCharacter.isValid("110105194912310021")).isFalse();
        assertThat(CheckCharacter.isValid("11010519491231002")).isFalse();
        assertThat(CheckCharacter.isValid("1101051949123100AX")).isFalse();
        assertThat(CheckCharacter.isValid(null)).isFalse();
        assertThatThrownBy(() -> CheckCharacter.of("1234")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everySingleDigitChangeIsCaught() {
        String valid = "35020319900101123X";
        for (int i = 0; i < 17; i++) {
            for (char d = '0'; d <= '9'; d++) {
                if (d == valid.charAt(i)) {
                    continue;
                }
                String changed = valid.substring(0, i) + d + valid.substring(i + 1);
                assertThat(CheckCharacter.isValid(changed)).as(changed).isFalse();
            }
        }
    }
}
