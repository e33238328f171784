package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.facecheck.app.LogFormat;
import com.facecheck.app.Secrets;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationResult;
import com.facecheck.crypto.Keyset;
import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatedIdentity;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.SamplePeople;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.TopicNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    private static final String APP_CODE = "run-test-appcode-5d1c";
    /** The secrets, and plain-text logs: a run in this JVM must not switch the other tests' logging to JSON. */
    private static final Map<String, String> SECRETS = Map.of(Credentials.APPCODE_ENV, APP_CODE,
            Secrets.HASH_SECRET_ENV, "run-test-hash-secret-0123456789", Keyset.ENV, Keyset.generate().toJson(),
            LogFormat.ENV, "text");

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** A run of the command line in this JVM, started in the background; {@code stop} stands for SIGTERM. */
    private static final class Background {

        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final StopSignal stop = StopSignal.manual();
        final CompletableFuture<Integer> exit;

        Background(Map<String, String> environment, String... args) {
            exit = CompletableFuture.supplyAsync(() -> FacecheckCli.execute(args, new PrintWriter(out, true),
                    new PrintWriter(err, true), environment, () -> stop));
        }

        Run awaitExit() throws Exception {
            return new Run(exit.get(90, TimeUnit.SECONDS), out.toString(), err.toString());
        }
    }

    @Test
    void aConfigurationWithThreeMistakesExitsTwoWithOneLineEachBeforeAnythingStarts() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                caps:
                  per-id: five
                  per_name: 3
                provider:
                  retry:
                    max-attempts: 0
                """);
        Run run = new Background(SECRETS, "run", "--set", "http.port=0", "--config", file.toString(), "--bootstrap-servers",
                "127.0.0.1:" + closedPort(), "--provider-url", "http://127.0.0.1:1").awaitExit();
        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.errLines()).containsExactly(
                "facecheck run: caps.per_name (file " + file + "): is not a key; did you mean caps.per-name?",
                "facecheck run: provider.retry.max-attempts = 0 (file " + file + "): must be greater than or equal"
                        + " to 1",
                "facecheck run: caps.per-id = five (file " + file + "): expected a whole number");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aMissingTopicIsOneLineSayingToCreateIt() throws Exception {
        Run run = new Background(SECRETS, "run", "--set", "http.port=0", "--bootstrap-servers", KafkaBroker.bootstrapServers(),
                "--provider-url", "http://127.0.0.1:1", "--set", "topics.requests=run-test.never-created",
                "--set", "streams.state-dir=" + dir).awaitExit();
        assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(run.errLines()).singleElement().asString().startsWith("facecheck run: these topics do not exist:")
                .contains("run-test.never-created").contains("Create them");
    }

    @Test
    void runServesRequestsOnTheConfiguredTopicsUntilStoppedThenExitsZero() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("run-command.");
        TopicSetup.createMissing(bootstrap, names, 2, (short) 1);
        SimulatedIdentity person = SamplePeople.answering(Outcome.VERIFIED);
        try (ProviderSimulator simulator = ProviderSimulator.standalone(
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)));
             OutputCollector output = new OutputCollector(bootstrap, names.outputs())) {
            String url = "http://127.0.0.1:" + simulator.start(0);
            Path file = Files.writeString(dir.resolve("facecheck.yaml"), TestTopics.yaml(names) + """
                    kafka:
                      application-id: run-command-test
                    streams:
                      state-dir: %s
                    """.formatted(dir.resolve("state")));
            Background run = new Background(SECRETS, "run", "--set", "http.port=0", "--config", file.toString(), "--bootstrap-servers",
                    bootstrap, "--provider-url", url);
            awaitOutput(run, "running");
            assertThat(run.out.toString()).contains("worker run-command-test running on run-command.facecheck.requests");

            Traffic.send(bootstrap, names.requests(), Traffic.requests("run-", List.of(person), 1,
                    TestImages.jpegBase64(320, 400)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (Traffic.results(output.records(), names).isEmpty() && System.nanoTime() < deadline) {
                output.poll(Duration.ofMillis(200));
            }
            assertThat(Traffic.results(output.records(), names)).extracting(VerificationResult::requestId,
                    VerificationResult::outcome).containsExactly(tuple("run-0", "verified"));
            assertThat(output.records()).extracting(r -> r.topic()).containsExactly(names.resultTopic(Outcome.VERIFIED));

            run.stop.request();
            Run stopped = run.awaitExit();
            assertThat(stopped.exitCode()).isZero();
            assertThat(stopped.out()).contains("worker run-command-test stopped");
            assertThat(stopped.err()).isEmpty();
        }
    }

    @Test
    void sigtermStopsTheWorkerAndTheProcessExitsZero() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("run-signal.");
        TopicSetup.createMissing(bootstrap, names, 1, (short) 1);
        Path file = Files.writeString(dir.resolve("facecheck.yaml"), TestTopics.yaml(names));
        Path log = dir.resolve("run.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"), FacecheckCli.class.getName(), "run", "--set", "http.port=0",
                "--config", file.toString(), "--bootstrap-servers", bootstrap, "--provider-url", "http://127.0.0.1:1",
                // No state folder given, as a user may start it: Kafka Streams' default is used.
                "--application-id", "run-signal-test-" + System.nanoTime())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("FACECHECK_") || name.startsWith("KAFKA_"));
        builder.environment().putAll(SECRETS);
        Process process = builder.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.readString(log).contains("running")) {
                assertThat(process.isAlive()).as("run ended early: " + Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("run did not start: " + Files.readString(log)).isLessThan(deadline);
                Thread.sleep(100);
            }
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
            assertThat(process.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).containsPattern("worker run-signal-test-\\d+ stopped");
        } finally {
            process.destroyForcibly();
        }
    }

    private static void awaitOutput(Background run, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!run.out.toString().contains(text)) {
            assertThat(run.exit).as("run ended early: " + run.err).isNotDone();
            assertThat(System.nanoTime()).as("run did not print '" + text + "' within a minute").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
