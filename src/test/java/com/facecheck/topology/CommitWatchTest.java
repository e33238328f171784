package com.facecheck.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * New calls wait while results wait for a commit. Found by the chaos suite: with the broker down for 18 seconds, a
 * worker went on calling, wrote every result into a transaction the broker then aborted, and called 224 requests
 * again.
 */
class CommitWatchTest {

    private static final String THREAD = "facecheck-StreamThread-1";

    /** The stream thread's count of successful commits, as Kafka Streams reports it. */
    private double commitTotal;
    private final Metric commits = new Metric() {
        @Override
        public MetricName metricName() {
            return name(THREAD);
        }

        @Override
        public Object metricValue() {
            return commitTotal;
        }
    };

    private CommitWatch watch(long commitIntervalMillis) {
        return CommitWatch.of(Map.of(name("facecheck-StreamThread-2"), otherThread(), name(THREAD), commits),
                Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMillis), THREAD, 3);
    }

    @Test
    void callsWaitOnceAResultHasWaitedTooLongForACommitAndResumeWithTheNextCommit() {
        CommitWatch watch = watch(20);
        watch.written(1_000);
        assertThat(watch.holdCalls(2_900)).as("a slow commit").isFalse();
        assertThat(watch.holdCalls(3_100)).as("no commit for more than two seconds").isTrue();
        assertThat(watch.holdCalls(9_000)).isTrue();
        assertThat(watch.sawCommit()).isFalse();

        commitTotal++;
        assertThat(watch.sawCommit()).as("a commit since the last look").isTrue();
        assertThat(watch.holdCalls(9_010)).isFalse();
        assertThat(watch.sawCommit()).as("and none since").isFalse();
    }

    @Test
    void aResultWrittenAfterAQuietSpellIsNotStalled() {
        CommitWatch watch = watch(20);
        assertThat(watch.holdCalls(600_000)).as("nothing to commit for ten minutes").isFalse();
        watch.written(600_000);
        assertThat(watch.holdCalls(600_020)).isFalse();
    }

    @Test
    void theWaitAllowedGrowsWithTheCommitInterval() {
        assertThat(watch(20).stalledAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(watch(30_000).stalledAfter()).isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    void withoutTheMetricCallsNeverWait() {
        CommitWatch watch = CommitWatch.of(Map.of(), Map.of(), THREAD, 0);
        watch.written(0);
        assertThat(watch.holdCalls(1_000_000)).isFalse();
        assertThat(watch.sawCommit()).as("every look counts as a commit").isTrue();
    }

    private static MetricName name(String thread) {
        return new MetricName("commit-total", "stream-thread-metrics", "", Map.of("thread-id", thread));
    }

    private static Metric otherThread() {
        return new Metric() {
            @Override
            public MetricName metricName() {
                return name("facecheck-StreamThread-2");
            }

            @Override
            public Object metricValue() {
                return 5.0;
            }
        };
    }
}
