package com.facecheck.chaos;

import com.facecheck.app.Secrets;
import com.facecheck.crypto.Keyset;
import com.facecheck.provider.Credentials;
import com.facecheck.testing.CliProcess;
import com.facecheck.testing.TestTopics;
import com.facecheck.topology.TopicNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One instance of the worker as production runs it: the {@code run} command in a JVM of its own, configured by a
 * file, the environment and flags, with a stable {@code group.instance.id} (a StatefulSet's pod name) so that a
 * restarted instance takes its own tasks back.
 */
final class WorkerProcess implements AutoCloseable {

    private static final Pattern RUNNING = Pattern.compile("health and metrics on port (\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * What every instance of one deployment shares.
     *
     * @param kafkaConfig Kafka properties, {@code name=value}, each passed as its own {@code --kafka-config}
     */
    record Deployment(Path dir, Path config, Map<String, String> environment, String bootstrap, String providerUrl,
                      String applicationId, List<String> kafkaConfig) {

        /** The AppCode every chaos deployment calls the simulator with. */
        static final String APP_CODE = "chaos-appcode-5d1e";
        /** One keyset for every instance, as every instance of a worker must share. */
        private static final String KEYSET = Keyset.generate().toJson();

        /** A deployment of the worker on {@code names}, its configuration file the topics plus {@code yaml}. */
        static Deployment of(Path dir, TopicNames names, String bootstrap, String providerUrl, String applicationId,
                             String yaml, String... kafkaConfig) throws IOException {
            Path config = Files.writeString(dir.resolve(applicationId + ".yaml"), TestTopics.yaml(names) + yaml);
            return new Deployment(dir, config, Map.of(Credentials.APPCODE_ENV, APP_CODE, Secrets.HASH_SECRET_ENV,
                    "chaos-hash-secret-0123456789", Keyset.ENV, KEYSET), bootstrap, providerUrl, applicationId,
                    List.of(kafkaConfig));
        }
    }

    private final String instance;
    private final CliProcess process;
    private final int port;

    private WorkerProcess(String instance, CliProcess process, int port) {
        this.instance = instance;
        this.process = process;
        this.port = port;
    }

    /**
     * Starts instance {@code instance} (its state folder and group membership are named after it); {@code run}
     * names its logs, so that a restarted instance keeps the earlier logs. Returns once it is ready (Kafka Streams
     * {@code RUNNING}), so that what a scenario does next meets a working instance.
     */
    static WorkerProcess start(Deployment deployment, String instance, String run) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--config", deployment.config().toString(),
                "--bootstrap-servers", deployment.bootstrap(), "--provider-url", deployment.providerUrl(),
                "--application-id", deployment.applicationId(), "--set", "http.port=0",
                "--set", "streams.state-dir=" + deployment.dir().resolve("state-" + instance),
                "--kafka-config", "group.instance.id=" + deployment.applicationId() + "-" + instance));
        deployment.kafkaConfig().forEach(property -> args.addAll(List.of("--kafka-config", property)));
        CliProcess process = CliProcess.start(deployment.dir(), instance + "-" + run, deployment.environment(),
                args.toArray(String[]::new));
        // A test JVM that dies (a timeout, a kill) must not leave workers running on the machine.
        Runtime.getRuntime().addShutdownHook(new Thread(process::close, "chaos-worker-stop"));
        try {
            int port = Integer.parseInt(process.await(RUNNING, Duration.ofSeconds(120)).group(1));
            WorkerProcess worker = new WorkerProcess(instance, process, port);
            worker.awaitReady(Duration.ofSeconds(120));
            return worker;
        } catch (RuntimeException | InterruptedException e) {
            process.close();
            throw e;
        }
    }

    private void awaitReady(Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                throw new IllegalStateException("instance " + instance + " ended while starting:\n" + log());
            }
            if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("instance " + instance + " was not ready within " + within + ":\n" + log());
    }

    String instance() {
        return instance;
    }

    /** Whether it still runs: a worker that gave up would have ended with exit 1. */
    boolean alive() {
        return process.alive();
    }

    /** SIGKILL, as an OOM kill or a lost node: nothing is closed, flushed or handed over. */
    void kill() throws InterruptedException {
        process.close();
        process.exitCode(Duration.ofSeconds(30));
    }

    /** SIGTERM, as a rolling restart or a scale-in sends; returns the exit code. */
    int stop() throws InterruptedException {
        return process.terminate(Duration.ofSeconds(90));
    }

    /** The value of a counter or gauge on {@code /metrics}, summed over its labels; 0 when it is absent. */
    double metric(String name) throws Exception {
        return metric(name, "");
    }

    /** As {@link #metric(String)}, over the label sets that contain {@code label} (e.g. {@code area="heap"}). */
    double metric(String name, String label) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(body);
        double sum = 0;
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (labels.contains(label)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    /** Resident memory (VmRSS), in bytes; Linux only. */
    long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for process " + process.pid());
    }

    /** What it logged, for a failure message. */
    String log() {
        return process.out() + process.err();
    }

    @Override
    public void close() {
        process.close();
    }
}
