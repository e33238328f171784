package com.facecheck.bench;

import com.facecheck.contract.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A contender running in its own process, with what the operating system says it used: CPU time and peak resident
 * memory from {@code /proc} (Linux), peak heap from the file its {@link Measured} sampler writes.
 */
final class ContenderProcess implements AutoCloseable {

    /** Clock ticks per second of {@code /proc/PID/stat}: 100 on every Linux the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);

    private final Process process;
    private final Path statsFile;
    private final Path log;

    private ContenderProcess(Process process, Path statsFile, Path log) {
        this.process = process;
        this.statsFile = statsFile;
        this.log = log;
    }

    static ContenderProcess start(List<String> command, Map<String, String> environment, Path statsFile, Path log)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Only the run's own settings: none of the caller's FACECHECK_ or KAFKA_ variables may change a contender.
        builder.environment().keySet().removeIf(name -> name.startsWith("FACECHECK_") || name.startsWith("KAFKA_"));
        builder.environment().putAll(environment);
        return new ContenderProcess(builder.start(), statsFile, log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** User plus system CPU seconds so far, all threads; NaN where {@code /proc} is not there. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // Fields after the command name, which may hold spaces, in parentheses: state is the first, utime the 12th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The most resident memory the process has held (VmHWM); -1 where {@code /proc} is not there. */
    long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or the process is gone.
        }
        return -1;
    }

    /** The most heap in use its sampler saw; -1 before its first write. */
    long peakHeapBytes() {
        try {
            return Json.MAPPER.readTree(Files.readString(statsFile)).path("peakHeapBytes").asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The last lines it printed, for an error message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, as a deploy stops it; SIGKILL if it has not stopped in time. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
