package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegionsTest {

    @Test
    void namesCurrentAndRetiredCodes() {
        assertThat(Regions.name("350203")).contains("福建省厦门市思明区");
        assertThat(Regions.name("110104")).contains("北京市宣武区");
        assertThat(Regions.name("810000")).contains("香港特别行政区");
    }

    @Test
    void fallsBackToCityThenProvince() {
        assertThat(Regions.name("350299")).contains("福建省厦门市");
        assertThat(Regions.name("359999")).contains("福建省");
        assertThat(Regions.name("990000")).isEmpty();
        assertThat(Regions.name("35")).isEmpty();
        assertThat(Regions.name(null)).isEmpty();
    }
}
