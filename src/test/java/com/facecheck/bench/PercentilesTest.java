package com.facecheck.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfAHundredValues() {
        List<Long> millis = new ArrayList<>();
        for (long v = 100; v >= 1; v--) {
            millis.add(v);
        }
        Percentiles p = Percentiles.of(millis);
        assertThat(p.count()).isEqualTo(100);
        assertThat(p.p50()).isEqualTo(50);
        assertThat(p.p99()).isEqualTo(99);
        assertThat(p.max()).isEqualTo(100);
        assertThat(p.minus(40).p99()).isEqualTo(59);
    }

    @Test
    void aSingleValueIsEveryPercentileAndNoneIsNaN() {
        assertThat(Percentiles.of(List.of(7L)).p50()).isEqualTo(7);
        assertThat(Percentiles.of(List.of(7L)).p99()).isEqualTo(7);
        assertThat(Percentiles.of(List.of()).p50()).isNaN();
    }
}
