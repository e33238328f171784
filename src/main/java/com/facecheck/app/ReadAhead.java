package com.facecheck.app;

/**
 * How many records of each input partition Kafka Streams may hold before processing them. It bounds them by count
 * only (1,000 by default), so what they weigh is the count times the largest record the request topic takes: 16 GB of
 * read-ahead for four partitions of a topic that takes 16 MB records, and a heap filled by a run of large records
 * before the first of them is processed. The count here keeps the read-ahead of a whole worker within
 * {@link #BUDGET_BYTES} even if every record were as large as the topic allows; ordinary requests are a small share
 * of that, so they still come dozens at a time.
 */
final class ReadAhead {

    /** The heap a worker sets aside for records read but not yet processed, when each is as large as allowed. */
    static final long BUDGET_BYTES = 32L * 1024 * 1024;
    /** Kafka Streams' own default, never raised. */
    static final int MAX_RECORDS = 1000;

    private ReadAhead() {
    }

    /**
     * At least one, or no record would ever be read.
     *
     * @param partitions      of the request topic: the most partitions one worker may be given
     * @param maxRecordBytes  the request topic's {@code max.message.bytes}
     */
    static int recordsPerPartition(int partitions, int maxRecordBytes) {
        long perPartition = BUDGET_BYTES / ((long) Math.max(1, partitions) * Math.max(1, maxRecordBytes));
        return (int) Math.max(1, Math.min(MAX_RECORDS, perPartition));
    }
}
