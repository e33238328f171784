package com.facecheck.testing;

import com.facecheck.app.LogFormat;
import com.facecheck.app.Secrets;
import com.facecheck.app.Worker;
import com.facecheck.app.WorkerConfig;
import com.facecheck.crypto.Keyset;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.topology.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A worker in its own process, logging as {@code run} does, for tests that must kill one the way a crash would
 * (SIGKILL, no clean close) or read its whole log. Arguments: bootstrap servers, provider URL, AppCode, application
 * id, state folder, topic prefix.
 */
public final class WorkerMain {

    /** The hash secret every worker process uses. */
    public static final String HASH_SECRET = "crash-test-secret-0123456789";

    private static final String RUNNING = "RUNNING";

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LogFormat.forRun(System.getenv());
        TopicNames names = TestTopics.prefixed(args[5]);
        WorkerConfig config = WorkerConfig.defaults(args[0], ProviderUrl.of(args[1]), new Credentials.AppCodeAuth(AppCode.of(args[2])),
                        HASH_SECRET, Path.of(args[4]))
                // The keyset of the test that started it: a successor in that JVM opens what this one sealed.
                .with("secrets", new Secrets(new Credentials.AppCodeAuth(AppCode.of(args[2])), HASH_SECRET,
                        Keyset.fromEnvironment(System.getenv()).orElseThrow()))
                .with("kafka.application-id", args[3]).with("topics", names).with("kafka.properties", crashFriendly());
        Worker.start(config);
        System.out.println(RUNNING);
        new CountDownLatch(1).await();
    }

    /**
     * Starts a worker process and returns once it runs.
     *
     * @param args   as {@link #main} takes them
     * @param env    added to this process's environment
     * @param stdout where it says that it runs
     * @param stderr where it logs
     */
    public static Process start(List<String> args, Map<String, String> env, Path stdout, Path stderr) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().put(Keyset.ENV, Secrets.processKeyset().toJson());
        builder.environment().putAll(env);
        Process process = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(stdout) && Files.readString(stdout).contains(RUNNING)) {
                return process;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the worker process died: " + Files.readString(stderr));
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the worker process did not start: " + Files.readString(stderr));
    }

    /** Short session and transaction timeouts, so a killed worker's partitions and open transaction move on soon. */
    public static Map<String, String> crashFriendly() {
        return Map.of("consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "1000",
                "producer.transaction.timeout.ms", "5000");
    }
}
