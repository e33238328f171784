package com.facecheck.app;

import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.provider.RetryPolicy;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatedIdentity;
import com.facecheck.simulator.SimulatorBehaviour;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed (SIGKILL, no clean close) while its calls are in flight; another takes over from the
 * changelogged stores. Afterwards the four promises hold: every request has exactly one result (A), the one that
 * keeps failing is on the retryable dead letters exactly once (B), copies of requests got neither a call nor a
 * result, also copies sent after the takeover (C), and no more than five of a burst for one ID number reached the
 * provider (D). The only extra calls are one repeat of each call that was in flight at the crash.
 */
class CrashResumeTest {

    private static final int PEOPLE = 30;
    private static final int BURST = 10;
    private static final int DUPLICATES = 5;
    private static final int SUCCESSOR_ATTEMPTS = 3;
    private static final String APP_CODE = "crash-test-appcode-1";

    @TempDir
    Path dir;

    /** One record to send. Every distinct request has a name of its own, which tells its calls apart. */
    private record Sent(String requestId, String name, String idNumber, String json, int partition) {
    }

    @Test
    void afterACrashEveryPromiseHoldsAndOnlyCallsInFlightAreRepeated() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("crash.");
        TopicSetup.createMissing(bootstrap, names, 2, (short) 1);
        String image = TestImages.jpegBase64(320, 400);
        SimulatedIdentity failing = SamplePeople.answering(Outcome.FAILED);
        String burstId = TestIds.idNumber(30_000);

        List<Sent> distinct = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            distinct.add(sent("person-" + i, BURST_NAMES.substring(i, i + 1) + "小明", TestIds.idNumber(31_000 + i),
                    image, distinct.size() % 2));
        }
        distinct.add(sent("always-fails", failing.name(), failing.idNumber(), image, distinct.size() % 2));
        List<Sent> burst = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            burst.add(sent("burst-" + i, BURST_NAMES.substring(i, i + 1) + "大伟", burstId, image,
                    distinct.size() % 2));
            distinct.add(burst.get(i));
        }
        assertThat(distinct.stream().map(Sent::name).distinct()).as("names, one per request").hasSize(distinct.size());
        // Copies of the first requests (same requestId, same content), each on the other partition.
        List<Sent> sequence = new ArrayList<>(distinct);
        distinct.subList(0, DUPLICATES).forEach(original -> sequence.add(copyOnOtherPartition(original)));

        Vertx vertx = Vertx.vertx();
        Process crashed = null;
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities())) {
            // Slow answers, so that every call is still in flight when the worker dies.
            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(3000));
            String url = "http://127.0.0.1:" + simulator.start(0);
            crashed = WorkerMain.start(List.of(bootstrap, url, APP_CODE, "crash-resume", dir.resolve("state-a").toString(),
                    "crash."), Map.of(), dir.resolve("worker-a.out"), dir.resolve("worker-a.log"));

            send(bootstrap, names, sequence);
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
            Map<String, Long> inFlight = new HashMap<>();
            distinct.forEach(r -> inFlight.put(r.requestId(), simulator.callsForName(r.name())));
            assertThat(inFlight.values()).as("calls in flight per request").allSatisfy(n -> assertThat(n).isBetween(0L, 1L));
            assertThat(inFlight.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(inFlightAtCrash);

            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(50));
            WorkerConfig config = WorkerConfig.defaults(bootstrap, ProviderUrl.of(url),
                            new Credentials.AppCodeAuth(AppCode.of(APP_CODE)), "crash-test-secret-0123456789", dir.resolve("state-b"))
                    .with("kafka.application-id", "crash-resume").with("topics", names).with("kafka.properties", WorkerMain.crashFriendly())
                    .with("provider.call-timeout", Duration.ofSeconds(10))
                    .with("provider.retry", new RetryPolicy(SUCCESSOR_ATTEMPTS, Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMinutes(1)))
                    .with("provider.probe-interval", Duration.ofSeconds(30));
            try (Worker successor = Worker.start(config);
                 OutputCollector out = new OutputCollector(bootstrap, names.outputs())) {
                deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (Traffic.resultRecords(out.records(), names).size() < distinct.size()
                        && System.nanoTime() < deadline) {
                    out.poll(Duration.ofMillis(200));
                }
                out.catchUp(Duration.ofSeconds(5));
                for (int i = 0; i < 10; i++) {
                    out.poll(Duration.ofMillis(200));
                }
                List<VerificationResult> results = Traffic.results(out.records(), names);
                // A and C: one result per distinct request, none for the copies.
                assertThat(results).extracting(VerificationResult::requestId).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(distinct.stream().map(Sent::requestId).toList());
                Map<String, VerificationResult> resultOf = results.stream()
                        .collect(Collectors.toMap(VerificationResult::requestId, r -> r));
                // B: the request that keeps failing is on the retryable dead letters, once.
                assertThat(out.records().stream().filter(r -> r.topic().equals(names.retryableDeadLetters()))
                        .map(ConsumerRecord::key)).containsExactly("always-fails");
                assertThat(resultOf.get("always-fails").error()).isEqualTo(Outcome.FAILED.code());
                // D: exactly five of the burst were admitted, and only those reached the provider.
                List<String> admitted = burst.stream().map(Sent::requestId)
                        .filter(id -> !"cap-per-id".equals(resultOf.get(id).reason())).toList();
                assertThat(admitted).hasSize(Admission.DEFAULT_PER_ID);
                assertThat(burst.stream().filter(r -> simulator.callsForName(r.name()) > 0).map(Sent::requestId))
                        .as("burst requests that reached the provider").containsExactlyInAnyOrderElementsOf(admitted);
                long burstInFlight = burst.stream().mapToLong(r -> inFlight.get(r.requestId())).sum();
                assertThat(simulator.callsForIdNumber(burstId)).as("calls for the burst's ID number")
                        .isEqualTo(Admission.DEFAULT_PER_ID + burstInFlight);
                assertThat(burst).filteredOn(r -> !admitted.contains(r.requestId()))
                        .allSatisfy(r -> assertThat(resultOf.get(r.requestId()).error()).isEqualTo(Outcome.THROTTLED.code()));
                // Every request's calls: what it needs (none if refused, one, or every attempt of the failing
                // one), plus one repeat if it was in flight at the crash. A copy that got a call would show here.
                long expectedWithoutCrash = 0;
                for (Sent request : distinct) {
                    long needed = request.requestId().equals("always-fails") ? SUCCESSOR_ATTEMPTS
                            : admitted.contains(request.requestId()) || !burst.contains(request) ? 1 : 0;
                    expectedWithoutCrash += needed;
                    assertThat(simulator.callsForName(request.name())).as("calls for %s (%d in flight at the crash)",
                            request.requestId(), inFlight.get(request.requestId()))
                            .isEqualTo(needed + inFlight.get(request.requestId()));
                }
                long extraCalls = simulator.calls() - expectedWithoutCrash;
                assertThat(extraCalls).as("calls repeated because of the crash").isEqualTo(inFlightAtCrash);
                // Restored calls are counted; calls whose admission had not committed are replayed, not counted.
                assertThat(successor.count("facecheck.calls.resumed")).isBetween(0.0, (double) inFlightAtCrash);

                // C after the takeover: copies of every request, sent again, are all dropped by the restored state.
                double droppedBefore = successor.count("facecheck.requests.duplicates");
                long callsBefore = simulator.calls();
                int recordsBefore = out.records().size();
                send(bootstrap, names, distinct.stream().map(CrashResumeTest::copyOnOtherPartition).toList());
                deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (successor.count("facecheck.requests.duplicates") - droppedBefore < distinct.size()
                        && out.records().size() == recordsBefore && System.nanoTime() < deadline) {
                    out.poll(Duration.ofMillis(100));
                }
                out.catchUp(Duration.ofSeconds(5));
                assertThat(successor.count("facecheck.requests.duplicates") - droppedBefore)
                        .as("copies sent after the takeover, dropped").isEqualTo(distinct.size());
                assertThat(out.records()).as("records written after the copies").hasSize(recordsBefore);
                assertThat(simulator.calls()).as("calls after the copies").isEqualTo(callsBefore);
                System.out.printf("crash: %d calls in flight at the crash, %d calls in all, %.0f resumed from the stores%n",
                        inFlightAtCrash, simulator.calls(), successor.count("facecheck.calls.resumed"));
            }
        } finally {
            if (crashed != null) {
                crashed.destroyForcibly();
            }
            vertx.close();
        }
    }

    private static Sent sent(String requestId, String name, String idNumber, String image, int partition) {
        return new Sent(requestId, name, idNumber, Traffic.request(requestId, name, idNumber, image), partition);
    }

    private static Sent copyOnOtherPartition(Sent original) {
        return new Sent(original.requestId(), original.name(), original.idNumber(), original.json(),
                1 - original.partition());
    }

    private static void send(String bootstrap, TopicNames names, List<Sent> requests) {
        Traffic.sendTo(bootstrap, names.requests(), requests.stream().map(Sent::json).toList(),
                requests.stream().map(Sent::partition).toList());
    }

    private static final String BURST_NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭";
}
