package com.facecheck.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutcomeTest {

    @Test
    void eachCodeHasItsOutcomeAndTopic() {
        for (int code = 0; code <= 9; code++) {
            Outcome outcome = Outcome.ofCode(code).orElseThrow();
            assertThat(outcome.code()).isEqualTo(code);
            assertThat(outcome.defaultTopic()).isEqualTo("facecheck.result." + outcome.outcomeName());
        }
        assertThat(Outcome.ofCode(-1)).isEmpty();
        assertThat(Outcome.ofCode(10)).isEmpty();
    }

    @Test
    void onlyCodesZeroToSixAreVerdictsOnThePerson() {
        assertThat(Outcome.values()).filteredOn(Outcome::isVerdict).extracting(Outcome::code)
                .containsExactly(0, 1, 2, 3, 4, 5, 6);
    }
}
