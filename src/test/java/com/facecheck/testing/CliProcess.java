package com.facecheck.testing;

import com.facecheck.cli.FacecheckCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line in an OS process of its own, on the tests' class path, as a user starts it: for commands that
 * run until stopped, and for stopping them with a signal.
 */
public final class CliProcess implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;

    private CliProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code facecheck args…}; its output goes to files in {@code dir} named after {@code name}. */
    public static CliProcess start(Path dir, String name, String... args) throws IOException {
        return start(dir, name, Map.of(), args);
    }

    /**
     * As {@link #start(Path, String, String...)}, with {@code environment} in place of the test JVM's
     * {@code FACECHECK_…} and {@code KAFKA_…} variables, so that what the test sets is all the command sees.
     */
    public static CliProcess start(Path dir, String name, Map<String, String> environment, String... args)
            throws IOException {
        return start(dir, name, List.of("-Xmx384m"), environment, args);
    }

    /**
     * As {@link #start(Path, String, Map, String...)}, with {@code jvmOptions} (a heap limit among them) in place of
     * the default heap of 384 MB: for tests that hold the command to a memory bound.
     */
    public static CliProcess start(Path dir, String name, List<String> jvmOptions, Map<String, String> environment,
                                   String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FacecheckCli.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (!environment.isEmpty()) {
            builder.environment().keySet().removeIf(n -> n.startsWith("FACECHECK_") || n.startsWith("KAFKA_"));
            builder.environment().putAll(environment);
        }
        Process process = builder.start();
        return new CliProcess(process, out, err);
    }

    public String out() {
        return read(out);
    }

    public String err() {
        return read(err);
    }

    /** The process id, for what only the operating system shows (its resident memory). */
    public long pid() {
        return process.pid();
    }

    /** Whether the process still runs. */
    public boolean alive() {
        return process.isAlive();
    }

    /** Waits until the standard output or error matches {@code pattern}; returns the match. */
    public Matcher await(Pattern pattern, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(out() + err());
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the process ended with " + process.exitValue() + " before printing "
                        + pattern + ":\n" + out() + err());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the process did not print " + pattern + " within " + within + ":\n" + out()
                + err());
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int exitCode(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the process did not end within " + within + ":\n" + out() + err());
        }
        return process.exitValue();
    }

    /** Sends SIGTERM and returns the exit code once the process has ended. */
    public int terminate(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the process did not end within " + within + " of SIGTERM:\n" + out() + err());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
