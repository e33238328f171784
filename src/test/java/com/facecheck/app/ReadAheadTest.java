package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadAheadTest {

    @Test
    void readAheadOfRecordsAsLargeAsTheTopicTakesStaysWithinTheBudget() {
        assertThat(ReadAhead.recordsPerPartition(4, 1_048_588)).isEqualTo(7);
        assertThat(ReadAhead.recordsPerPartition(12, 1_048_588)).isEqualTo(2);
        assertThat(ReadAhead.recordsPerPartition(4, 16 * 1024 * 1024)).as("never none").isEqualTo(1);
        assertThat(ReadAhead.recordsPerPartition(1, 1024)).as("never above Kafka Streams' default").isEqualTo(1000);
        assertThat(ReadAhead.recordsPerPartition(0, 0)).isEqualTo(1000);
    }
}
