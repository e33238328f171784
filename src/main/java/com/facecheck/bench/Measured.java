package com.facecheck.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Runs a contender's main class with a sampler beside it that keeps the most heap in use, sampled every 100 ms,
 * in a small JSON file the bench reads: {@code Measured STATS_FILE MAIN_CLASS ARGS…}. CPU time and resident memory
 * the bench reads from the operating system itself.
 */
public final class Measured {

    private static final long SAMPLE_MILLIS = 100;
    private static final int SAMPLES_PER_WRITE = 5;

    private Measured() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: Measured STATS_FILE MAIN_CLASS [ARGS…]");
        }
        Thread sampler = new Thread(() -> sample(Path.of(args[0])), "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        Class.forName(args[1]).getMethod("main", String[].class)
                .invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }

    /** The stats file's content: {@code {"peakHeapBytes":N}}. */
    static String stats(long peakHeapBytes) {
        return "{\"peakHeapBytes\":" + peakHeapBytes + "}";
    }

    private static void sample(Path file) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long peak = 0;
        for (long n = 1; ; n++) {
            peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
            if (n % SAMPLES_PER_WRITE == 0) {
                write(file, stats(peak));
            }
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void write(Path file, String content) {
        try {
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.writeString(next, content, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // A missed write leaves the last peak in place; the next one catches up.
        }
    }
}
