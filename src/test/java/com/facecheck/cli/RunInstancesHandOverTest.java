package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.app.Secrets;
import com.facecheck.contract.VerificationResult;
import com.facecheck.crypto.Keyset;
import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.testing.CliProcess;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.TopicNames;
import io.vertx.core.Vertx;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code run} processes, each its own JVM as in production, take 2,000 requests at 200 ms of provider latency
 * through a scale-out from one instance to two and a rolling restart of both (SIGTERM, then started again, each with
 * its own static group membership). Every
 * request has exactly one result; the rolling restart repeats no call; what the scale-out repeats is measured, and
 * every such repeat is a call the new owner counted as resumed.
 */
class RunInstancesHandOverTest {

    private static final String APP_CODE = "run-instances-appcode-4";
    /** One keyset for both instances, as every instance of a worker must share. */
    private static final String KEYSET = Keyset.generate().toJson();
    private static final int PER_PHASE = 1_000;
    private static final Pattern RUNNING = Pattern.compile("health and metrics on port (\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private String bootstrap;
    private Path config;
    private String providerUrl;

    @Test
    void scaleOutAndRollingRestartOfTwoRunProcesses() throws Exception {
        bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("run-instances.");
        TopicSetup.createMissing(bootstrap, names, 4, (short) 1);
        // Few calls in flight per instance, so that work is still going on at every hand-over.
        config = Files.writeString(dir.resolve("facecheck.yaml"), TestTopics.yaml(names)
                + "provider:\n  max-in-flight: 16\nshutdown:\n  drain-timeout: 20s\n");
        String image = TestImages.jpegBase64(320, 400);
        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities());
             OutputCollector out = new OutputCollector(bootstrap, names.outputs())) {
            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(200));
            providerUrl = "http://127.0.0.1:" + simulator.start(0);

            // One instance, from its start to its first result.
            long started = System.nanoTime();
            CliProcess a = run("a", "a");
            Traffic.send(bootstrap, names.requests(), List.of(request(0, image)));
            int portA = Integer.parseInt(a.await(RUNNING, Duration.ofSeconds(90)).group(1));
            awaitResults(out, names, 1);
            long firstResultMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertThat(get(portA, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(portA, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(portA, "/metrics").body()).contains("facecheck_results_total");

            // Scale-out: a second instance joins while the first has calls in flight.
            Traffic.send(bootstrap, names.requests(), requests(1, PER_PHASE, image), 4);
            awaitCallsInFlight(simulator);
            CliProcess b = run("b", "b");
            int portB = Integer.parseInt(b.await(RUNNING, Duration.ofSeconds(90)).group(1));
            awaitResults(out, names, 1 + PER_PHASE);
            long scaleOutRepeats = simulator.calls() - (1 + PER_PHASE);
            double resumed = resumedCalls(portA) + resumedCalls(portB);
            assertThat((double) scaleOutRepeats).as("every repeated call is one the new owner counted as resumed")
                    .isLessThanOrEqualTo(resumed);

            // Rolling restart: each instance stopped with SIGTERM while calls are in flight, and started again.
            long callsBefore = simulator.calls();
            Traffic.send(bootstrap, names.requests(), requests(1 + PER_PHASE, PER_PHASE, image), 4);
            awaitCallsInFlight(simulator);
            assertThat(a.terminate(Duration.ofSeconds(60))).as(a.err()).isZero();
            CliProcess a2 = run("a2", "a");
            a2.await(RUNNING, Duration.ofSeconds(90));
            awaitCallsInFlight(simulator);
            assertThat(b.terminate(Duration.ofSeconds(60))).as(b.err()).isZero();
            CliProcess b2 = run("b2", "b");
            b2.await(RUNNING, Duration.ofSeconds(90));
            List<VerificationResult> results = awaitResults(out, names, 1 + 2 * PER_PHASE);
            long restartRepeats = simulator.calls() - callsBefore - PER_PHASE;

            assertThat(results).extracting(VerificationResult::requestId).doesNotHaveDuplicates()
                    .hasSize(1 + 2 * PER_PHASE);
            assertThat(restartRepeats).as("calls repeated through the rolling restart").isZero();
            System.out.printf("run to first result: %d ms; scale-out 1→2 repeated %d calls (%s counted as resumed);"
                    + " rolling restart of both repeated %d%n", firstResultMillis, scaleOutRepeats, resumed,
                    restartRepeats);
            for (CliProcess p : List.of(a2, b2)) {
                assertThat(p.terminate(Duration.ofSeconds(60))).as(p.err()).isZero();
            }
        } finally {
            vertx.close();
        }
    }

    private CliProcess run(String name, String state) throws Exception {
        return CliProcess.start(dir, name, Map.of(Credentials.APPCODE_ENV, APP_CODE, Secrets.HASH_SECRET_ENV,
                        "run-instances-secret-0123456789", Keyset.ENV, KEYSET), "run", "--config", config.toString(), "--bootstrap-servers",
                bootstrap, "--provider-url", providerUrl, "--application-id", "run-instances",
                "--set", "http.port=0", "--set", "streams.state-dir=" + dir.resolve("state-" + state),
                // Static membership, as a StatefulSet gives each pod: a restarted instance takes its own tasks back
                // without a rebalance, so no task moves to (and back from) the other one while it restarts.
                "--kafka-config", "group.instance.id=run-instances-" + state);
    }

    private static List<String> requests(int from, int count, String image) {
        List<String> requests = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            requests.add(request(i, image));
        }
        return requests;
    }

    private static String request(int n, String image) {
        return Traffic.request("run-instances-" + n, TestIds.name(80_000 + n), TestIds.idNumber(80_000 + n), image);
    }

    private static void awaitCallsInFlight(ProviderSimulator simulator) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (simulator.callsInFlight() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(simulator.callsInFlight()).as("calls in flight").isPositive();
    }

    private static List<VerificationResult> awaitResults(OutputCollector out, TopicNames names, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (Traffic.results(out.records(), names).size() < expected && System.nanoTime() < deadline) {
            out.poll(Duration.ofMillis(200));
        }
        out.poll(Duration.ofMillis(500));
        List<VerificationResult> results = Traffic.results(out.records(), names);
        assertThat(results).as("results").hasSizeGreaterThanOrEqualTo(expected);
        return results;
    }

    private static double resumedCalls(int port) throws Exception {
        Matcher m = Pattern.compile("(?m)^facecheck_calls_resumed_total\\S* ([0-9.eE+]+)$")
                .matcher(get(port, "/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
