package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Outcome;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderSimulator;
import com.facecheck.provider.SimulatedIdentity;
import com.facecheck.provider.SimulatorBehaviour;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.testing.WorkerMain;
import com.facecheck.topology.TopicNames;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed (SIGKILL, no clean close) while every call is in flight; another takes over from the
 * changelogged store. Every request must still get exactly one result, and the only extra calls allowed are
 * the ones that were in flight at the crash.
 */
class CrashResumeTest {

    private static final int REQUESTS = 30;
    private static final String APP_CODE = "crash-test-appcode-1";

    @TempDir
    Path dir;

    @Test
    void callsInFlightAtACrashAreResumedByTheNextOwnerAndEachRequestGetsOneResult() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("crash.");
        TopicSetup.createMissing(bootstrap, names, 2, (short) 1);
        List<SimulatedIdentity> verdicts = ProviderSimulator.defaultIdentities().stream()
                .filter(p -> Outcome.ofCode(p.answer()).orElseThrow().isVerdict()).toList();
        Vertx vertx = Vertx.vertx();
        Process crashed = null;
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), verdicts)) {
            // Slow answers, so that every call is still in flight when the worker dies.
            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(3000));
            String url = "http://127.0.0.1:" + simulator.start(0);
            crashed = startWorkerProcess(bootstrap, url, dir.resolve("state-a"), dir.resolve("worker-a.log"));

            Traffic.send(bootstrap, names.requests(),
                    Traffic.requests("crash-", verdicts, REQUESTS, TestImages.jpegBase64(320, 400)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (simulator.calls() < REQUESTS && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            crashed.destroyForcibly().waitFor();
            long inFlightAtCrash = simulator.calls();
            assertThat(inFlightAtCrash).as("calls in flight when the worker was killed").isEqualTo(REQUESTS);
            assertThat(simulator.billedCalls()).as("no answer had come back yet").isZero();

            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(50));
            WorkerConfig config = WorkerConfig.defaults(bootstrap, java.net.URI.create(url),
                            new Credentials.AppCodeAuth(AppCode.of(APP_CODE)), "crash-test-secret-0123456789", dir.resolve("state-b"))
                    .withApplicationId("crash-resume").withTopics(names).withKafka(WorkerMain.crashFriendly());
            try (Worker successor = Worker.start(config);
                 OutputCollector out = new OutputCollector(bootstrap, names.outputs())) {
                deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (Traffic.resultRecords(out.records(), names).size() < REQUESTS && System.nanoTime() < deadline) {
                    out.poll(Duration.ofMillis(200));
                }
                out.catchUp(Duration.ofSeconds(5));
                for (int i = 0; i < 10; i++) {
                    out.poll(Duration.ofMillis(200));
                }
                List<String> ids = Traffic.resultRecords(out.records(), names).stream().map(ConsumerRecord::key).toList();
                assertThat(ids).hasSize(REQUESTS).doesNotHaveDuplicates();
                long extraCalls = simulator.calls() - REQUESTS;
                assertThat(extraCalls).as("calls repeated because of the crash").isBetween(1L, inFlightAtCrash);
                assertThat(simulator.billedCalls()).isEqualTo(REQUESTS);
            }
        } finally {
            if (crashed != null) {
                crashed.destroyForcibly();
            }
            vertx.close();
        }
    }

    private static Process startWorkerProcess(String bootstrap, String url, Path state, Path log) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(), bootstrap, url, APP_CODE,
                "crash-resume", state.toString(), "crash.")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("RUNNING")) {
                return process;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the worker process died: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the worker process did not start: " + Files.readString(log));
    }

}
