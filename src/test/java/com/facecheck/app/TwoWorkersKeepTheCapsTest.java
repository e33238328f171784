package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Json;
import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderSimulator;
import com.facecheck.provider.SimulatorBehaviour;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.Admission;
import com.facecheck.topology.TopicNames;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two worker instances share four partitions, the second joining while the first is busy. Bursts for one ID
 * number across 30 names, and for one name across 30 ID numbers, arrive on every partition: exactly the caps
 * reach the provider, every other request has exactly one result, and duplicates have none. The only extra calls
 * are repeats of calls that the tasks moved to the second worker had admitted.
 */
class TwoWorkersKeepTheCapsTest {

    private static final String APP_CODE = "two-workers-appcode-1";
    private static final int PARTITIONS = 4;
    private static final int ID_BURSTS = 10;
    private static final int BURST = 30;
    private static final int DUPLICATES = 100;
    private static final int TOTAL = 2_000;

    @TempDir
    Path dir;

    @Test
    void capsHoldExactlyAcrossPartitionsAndInstancesAndNothingIsLost() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("two.");
        TopicSetup.createMissing(bootstrap, names, PARTITIONS, (short) 1);
        String image = TestImages.jpegBase64(320, 400);
        var people = new People();

        List<String> burstIds = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        for (int b = 0; b < ID_BURSTS; b++) {
            String id = people.nextId();
            burstIds.add(id);
            for (int i = 0; i < BURST; i++) {
                requests.add(request("id-burst-" + b + "-" + i, people.nextName(), id, image));
            }
        }
        String burstName = people.nextName();
        for (int i = 0; i < BURST; i++) {
            requests.add(request("name-burst-" + i, burstName, people.nextId(), image));
        }
        List<String> ordinary = new ArrayList<>();
        while (requests.size() + ordinary.size() < TOTAL - DUPLICATES) {
            ordinary.add(request("ordinary-" + ordinary.size(), people.nextName(), people.nextId(), image));
        }
        requests.addAll(ordinary);
        requests.addAll(ordinary.subList(0, DUPLICATES)); // re-sent: same requestId, same content
        Collections.shuffle(requests, new Random(7));
        assertThat(requests).hasSize(TOTAL);

        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities())) {
            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(20));
            URI url = URI.create("http://127.0.0.1:" + simulator.start(0));
            try (Worker first = Worker.start(config(bootstrap, url, names, "a"));
                 OutputCollector out = new OutputCollector(bootstrap, names.outputs())) {
                Traffic.send(bootstrap, names.requests(), requests.subList(0, TOTAL / 2), PARTITIONS);
                try (Worker second = Worker.start(config(bootstrap, url, names, "b"))) {
                    Traffic.send(bootstrap, names.requests(), requests.subList(TOTAL / 2, TOTAL), PARTITIONS);
                    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                    while (Traffic.resultRecords(out.records(), names).size() < TOTAL - DUPLICATES
                            && System.nanoTime() < deadline) {
                        out.poll(Duration.ofMillis(200));
                    }
                    out.catchUp(Duration.ofSeconds(5));

                    List<VerificationResult> results = Traffic.results(out.records(), names);
                    assertThat(results).extracting(VerificationResult::requestId).doesNotHaveDuplicates()
                            .hasSize(TOTAL - DUPLICATES);
                    for (String id : burstIds) {
                        assertThat(simulator.callsForIdNumber(id)).as("calls for one burst's ID number")
                                .isEqualTo(Admission.DEFAULT_PER_ID);
                    }
                    assertThat(simulator.callsForName(burstName)).as("calls for the burst's name")
                            .isEqualTo(Admission.DEFAULT_PER_NAME);
                    Map<String, Long> refusals = results.stream().filter(r -> r.error() == 8)
                            .collect(Collectors.groupingBy(VerificationResult::reason, Collectors.counting()));
                    assertThat(refusals).containsExactlyInAnyOrderEntriesOf(Map.of(
                            "cap-per-id", (long) ID_BURSTS * (BURST - Admission.DEFAULT_PER_ID),
                            "cap-per-name", (long) BURST - Admission.DEFAULT_PER_NAME));
                    // Tasks that moved to the second worker resumed their admitted calls: the only repeats allowed.
                    long admitted = TOTAL - DUPLICATES - refusals.values().stream().mapToLong(Long::longValue).sum();
                    double resumed = first.count("facecheck.calls.resumed") + second.count("facecheck.calls.resumed");
                    System.out.printf("two workers: %d results, %d calls for %d admitted requests, %.0f calls resumed"
                            + " after the rebalance%n", results.size(), simulator.calls(), admitted, resumed);
                    assertThat(simulator.calls() - admitted).as("calls beyond one per admitted request")
                            .isBetween(0L, (long) resumed);
                    assertThat(first.count("facecheck.requests.duplicates") + second.count("facecheck.requests.duplicates"))
                            .isEqualTo(DUPLICATES);
                    assertThat(out.count(r -> r.topic().equals(names.retryableDeadLetters()))).isZero();
                }
            }
        } finally {
            vertx.close();
        }
    }

    private WorkerConfig config(String bootstrap, URI url, TopicNames names, String instance) {
        return WorkerConfig.defaults(bootstrap, url, new Credentials.AppCodeAuth(AppCode.of(APP_CODE)),
                        "two-workers-secret-0123456789", dir.resolve("state-" + instance))
                .withApplicationId("two-workers").withTopics(names);
    }

    private static String request(String requestId, String name, String idNumber, String image) {
        return Json.MAPPER.createObjectNode().put("requestId", requestId).put("name", name).put("idNumber", idNumber)
                .put("image", image).toString();
    }

    /** Distinct synthetic people, ID numbers nobody in the simulator's registry has. */
    private static final class People {
        private int ids = 20_000;
        private int names;

        String nextId() {
            return TestIds.idNumber(ids++);
        }

        String nextName() {
            return TestIds.name(names++);
        }
    }
}
