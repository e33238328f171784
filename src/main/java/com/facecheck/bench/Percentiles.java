package com.facecheck.bench;

import java.util.List;

/** p50, p99 and max of a set of milliseconds (nearest rank); NaN for an empty set. */
record Percentiles(int count, double p50, double p99, double max) {

    static Percentiles of(List<Long> millis) {
        if (millis.isEmpty()) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Percentiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1]);
    }

    /** The nearest-rank percentile: the smallest value with at least {@code q} of the set at or below it. */
    private static double rank(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** The same, less {@code millis} each: the part added over a fixed provider latency. */
    Percentiles minus(double millis) {
        return new Percentiles(count, p50 - millis, p99 - millis, max - millis);
    }
}
