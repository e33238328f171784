package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.VerificationResult;
import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.TopicNames;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that is stopped (SIGTERM: a rolling restart, or a pod deleted on scale-in) while its calls are in flight
 * hands its tasks over without a call to repeat: it stops starting calls, waits for the answers, writes their
 * results, commits, and only then leaves. The other instance takes over the rest, and every request is called once.
 */
class HandOverTest {

    private static final String APP_CODE = "hand-over-appcode-2";
    private static final int REQUESTS = 60;

    @TempDir
    Path dir;

    @Test
    void aWorkerStoppedWithCallsInFlightLeavesNoCallToRepeat() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("handover.");
        TopicSetup.createMissing(bootstrap, names, 4, (short) 1);
        String image = TestImages.jpegBase64(320, 400);
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(Traffic.request("handover-" + i, TestIds.name(60_000 + i), TestIds.idNumber(60_000 + i),
                    image));
        }
        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities())) {
            // Slow answers and a low rate: calls are in flight and waiting whenever the first worker stops.
            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(1_500));
            ProviderUrl url = ProviderUrl.of("http://127.0.0.1:" + simulator.start(0));
            try (Worker staying = Worker.start(config(bootstrap, url, names, "staying"));
                 OutputCollector out = new OutputCollector(bootstrap, names.outputs())) {
                Worker leaving = Worker.start(config(bootstrap, url, names, "leaving"));
                awaitBothRunTasks(staying, leaving);
                Traffic.send(bootstrap, names.requests(), requests, 4);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (simulator.callsInFlight() < 4 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                int inFlightAtStop = simulator.callsInFlight();
                assertThat(inFlightAtStop).as("calls in flight when the worker is stopped").isGreaterThanOrEqualTo(4);

                leaving.close(); // what SIGTERM does

                deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (Traffic.results(out.records(), names).size() < REQUESTS && System.nanoTime() < deadline) {
                    out.poll(Duration.ofMillis(200));
                }
                out.poll(Duration.ofSeconds(1));
                List<VerificationResult> results = Traffic.results(out.records(), names);
                assertThat(results).extracting(VerificationResult::requestId).doesNotHaveDuplicates()
                        .hasSize(REQUESTS);
                assertThat(simulator.calls()).as("one call per request: none repeated after the hand-over (%d were"
                        + " in flight at the stop)", inFlightAtStop).isEqualTo(REQUESTS);
            }
        } finally {
            vertx.close();
        }
    }

    private static void awaitBothRunTasks(Worker a, Worker b) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((a.activeTasks().isEmpty() || b.activeTasks().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(a.activeTasks()).isNotEmpty();
        assertThat(b.activeTasks()).isNotEmpty();
    }

    private WorkerConfig config(String bootstrap, ProviderUrl url, TopicNames names, String instance) {
        return WorkerConfig.defaults(bootstrap, url, new Credentials.AppCodeAuth(AppCode.of(APP_CODE)),
                        "hand-over-secret-0123456789", dir.resolve(instance))
                .with("kafka.application-id", "hand-over").with("topics", names);
    }
}
