package com.facecheck.bench.flink;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Samples heap use every 100 ms and rewrites {"peakHeapBytes":N} to the stats file every 500 ms, atomically. */
final class HeapStats implements Runnable {
    private final Path file;
    private final Path temp;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private long peak;

    private HeapStats(Path file) {
        this.file = file.toAbsolutePath();
        this.temp = this.file.resolveSibling(this.file.getFileName() + ".tmp");
    }

    static void start(String path) {
        Thread thread = new Thread(new HeapStats(Path.of(path)), "heap-stats");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        for (long tick = 0; ; tick++) {
            peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
            if (tick % 5 == 0) {
                write();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void write() {
        try {
            Files.writeString(temp, "{\"peakHeapBytes\":" + peak + "}", StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // a missed write is made good 500 ms later
        }
    }
}
