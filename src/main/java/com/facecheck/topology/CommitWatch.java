package com.facecheck.topology;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a task's results are being committed. Kafka Streams goes on processing and punctuating while its commits
 * fail (a broker frozen or gone, too few replicas in sync): every call started then has its result written into a
 * transaction the broker aborts once it times out, and the task's next incarnation calls again, paying twice. The
 * chaos suite measured 224 such calls for a broker down 18 seconds. So once results have waited longer than
 * {@link #stalledAfter} for a commit, no new call starts until one succeeds; the calls in flight finish.
 *
 * <p>It reads the stream thread's own count of successful commits ({@code commit-total}); without that metric
 * (a test driver) it never holds calls back.
 */
final class CommitWatch {

    private static final Logger LOG = LoggerFactory.getLogger(CommitWatch.class);
    /** Below this a commit is slow, not stalled: a loaded broker, a GC pause. */
    private static final long MIN_STALL_MILLIS = 2_000;
    /** Commits of a healthy worker come at most this many commit intervals apart while it has results to commit. */
    private static final int INTERVALS = 5;

    private final Metric commits;
    private final long stalledAfter;
    private final int partition;
    private double committedCount;
    /** When the oldest result not known to be committed was written; -1 when there is none. */
    private long waitingSince = -1;
    private boolean holding;

    private CommitWatch(Metric commits, long stalledAfter, int partition) {
        this.commits = commits;
        this.stalledAfter = stalledAfter;
        this.partition = partition;
        this.committedCount = count();
    }

    /**
     * The watch of a task run by {@code thread}, from the metrics and configuration its context gives.
     *
     * @param appConfigs the Kafka Streams configuration, for its commit interval
     */
    static CommitWatch of(Map<MetricName, ? extends Metric> metrics, Map<String, Object> appConfigs, String thread,
                          int partition) {
        Metric commits = metrics.entrySet().stream()
                .filter(m -> m.getKey().name().equals("commit-total")
                        && m.getKey().group().equals("stream-thread-metrics")
                        && thread.equals(m.getKey().tags().get("thread-id")))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        Object interval = appConfigs.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        long intervalMillis = interval == null ? 0 : Long.parseLong(interval.toString().strip());
        return new CommitWatch(commits, Math.max(MIN_STALL_MILLIS, INTERVALS * intervalMillis), partition);
    }

    /** A result was written at {@code now}: it waits for the next commit. */
    void written(long now) {
        if (waitingSince < 0) {
            waitingSince = now;
        }
    }

    /**
     * Whether the thread has committed since the last look: everything written before this look is then committed.
     * Without the metric (a test driver), every look counts as one.
     */
    boolean sawCommit() {
        if (commits == null) {
            return true;
        }
        double count = count();
        if (count == committedCount) {
            return false;
        }
        committedCount = count;
        waitingSince = -1;
        if (holding) {
            holding = false;
            LOG.warn("results of partition {} are committed again; calls resume", partition);
        }
        return true;
    }

    /**
     * Whether new calls must wait: a result has waited longer than {@link #stalledAfter} for a commit, as of the
     * last {@link #sawCommit() look}.
     */
    boolean holdCalls(long now) {
        if (commits == null) {
            return false;
        }
        boolean stalled = waitingSince >= 0 && now - waitingSince > stalledAfter;
        if (stalled && !holding) {
            holding = true;
            LOG.warn("results of partition {} have waited {} s for a commit (is the broker reachable?): no new call"
                    + " starts until they are committed, since a transaction that times out is redone, calls and all",
                    partition, Duration.ofMillis(now - waitingSince).toSeconds());
        }
        return stalled;
    }

    Duration stalledAfter() {
        return Duration.ofMillis(stalledAfter);
    }

    private double count() {
        return commits != null && commits.metricValue() instanceof Number n ? n.doubleValue() : 0;
    }
}
