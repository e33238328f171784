package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Json;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.RetryPolicy;
import com.facecheck.provider.ProviderSimulator;
import com.facecheck.provider.SimulatedIdentity;
import com.facecheck.provider.SimulatorBehaviour;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.SamplePeople;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.testing.WorkerMain;
import com.facecheck.topology.Admission;
import com.facecheck.topology.TopicNames;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed (SIGKILL, no clean close) while its calls are in flight; another takes over from the
 * changelogged stores. Afterwards the four promises hold: every request has exactly one result (A), the one that
 * keeps failing is on the retryable dead letters exactly once (B), duplicates got neither call nor result (C), and
 * no more than five of a burst for one ID number reached the provider (D). The only extra calls are repeats of
 * calls that were in flight at the crash.
 */
class CrashResumeTest {

    private static final int PEOPLE = 30;
    private static final int BURST = 10;
    private static final int DUPLICATES = 5;
    private static final String APP_CODE = "crash-test-appcode-1";

    @TempDir
    Path dir;

    @Test
    void afterACrashEveryPromiseHoldsAndOnlyCallsInFlightAreRepeated() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("crash.");
        TopicSetup.createMissing(bootstrap, names, 2, (short) 1);
        String image = TestImages.jpegBase64(320, 400);
        SimulatedIdentity failing = SamplePeople.answering(Outcome.FAILED);
        String burstId = TestIds.idNumber(30_000);

        List<String> requests = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            requests.add(request("person-" + i, BURST_NAMES.substring(i, i + 1) + "小明", TestIds.idNumber(31_000 + i), image));
        }
        requests.add(request("always-fails", failing.name(), failing.idNumber(), image));
        for (int i = 0; i < BURST; i++) {
            requests.add(request("burst-" + i, BURST_NAMES.substring(i, i + 1) + "大伟", burstId, image));
        }
        requests.addAll(requests.subList(0, DUPLICATES)); // re-sent: same requestId, same content
        int distinct = PEOPLE + 1 + BURST;

        Vertx vertx = Vertx.vertx();
        Process crashed = null;
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities())) {
            // Slow answers, so that every call is still in flight when the worker dies.
            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(3000));
            String url = "http://127.0.0.1:" + simulator.start(0);
            crashed = startWorkerProcess(bootstrap, url, dir.resolve("state-a"), dir.resolve("worker-a.log"));

            Traffic.send(bootstrap, names.requests(), requests, 2);
            // One call per person; the burst's person is served one request at a time, so one of theirs.
            int callsAtCrash = PEOPLE + 1 + 1;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (simulator.calls() < callsAtCrash && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            crashed.destroyForcibly().waitFor();
            long inFlightAtCrash = simulator.calls();
            assertThat(inFlightAtCrash).as("calls in flight when the worker was killed").isEqualTo(callsAtCrash);
            assertThat(simulator.billedCalls() + simulator.notBilledCalls()).as("no answer had come back yet").isZero();

            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(50));
            WorkerConfig config = WorkerConfig.defaults(bootstrap, java.net.URI.create(url),
                            new Credentials.AppCodeAuth(AppCode.of(APP_CODE)), "crash-test-secret-0123456789", dir.resolve("state-b"))
                    .withApplicationId("crash-resume").withTopics(names).withKafka(WorkerMain.crashFriendly())
                    .withCalls(Duration.ofSeconds(10), new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(200),
                            Duration.ofMinutes(1)), Duration.ofSeconds(30));
            try (Worker successor = Worker.start(config);
                 OutputCollector out = new OutputCollector(bootstrap, names.outputs())) {
                deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (Traffic.resultRecords(out.records(), names).size() < distinct && System.nanoTime() < deadline) {
                    out.poll(Duration.ofMillis(200));
                }
                out.catchUp(Duration.ofSeconds(5));
                for (int i = 0; i < 10; i++) {
                    out.poll(Duration.ofMillis(200));
                }
                List<VerificationResult> results = Traffic.results(out.records(), names);
                // A and C: one result per distinct request, none for the duplicates.
                assertThat(results).extracting(VerificationResult::requestId).hasSize(distinct).doesNotHaveDuplicates();
                // B: the request that keeps failing is on the retryable dead letters, once.
                assertThat(out.records().stream().filter(r -> r.topic().equals(names.retryableDeadLetters()))
                        .map(ConsumerRecord::key)).containsExactly("always-fails");
                // D: five of the burst reached the provider (each once, or twice if in flight at the crash).
                long burstRequestsCalled = BURST_NAMES.chars().limit(BURST)
                        .filter(c -> simulator.callsForName((char) c + "大伟") > 0).count();
                assertThat(burstRequestsCalled).isEqualTo(Admission.DEFAULT_PER_ID);
                assertThat(results.stream().filter(r -> "cap-per-id".equals(r.reason()))).hasSize(BURST - Admission.DEFAULT_PER_ID);
                for (int i = 0; i < DUPLICATES; i++) {
                    assertThat(simulator.callsForIdNumber(TestIds.idNumber(31_000 + i)))
                            .as("a duplicated request is called once, or twice if in flight at the crash").isBetween(1L, 2L);
                }
                // Without the crash: one call a person, five for the burst, three attempts for the failing one.
                long callsWithoutCrash = PEOPLE + Admission.DEFAULT_PER_ID + 3;
                long extraCalls = simulator.calls() - callsWithoutCrash;
                assertThat(extraCalls).as("calls repeated because of the crash").isBetween(1L, inFlightAtCrash);
                assertThat(extraCalls).isLessThanOrEqualTo((long) successor.count("facecheck.calls.resumed"));
            }
        } finally {
            if (crashed != null) {
                crashed.destroyForcibly();
            }
            vertx.close();
        }
    }

    private static final String BURST_NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭";

    private static String request(String requestId, String name, String idNumber, String image) {
        return Json.MAPPER.createObjectNode().put("requestId", requestId).put("name", name).put("idNumber", idNumber)
                .put("image", image).toString();
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
