package com.facecheck.app;

import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.Admission;
import com.facecheck.topology.TopicNames;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two worker instances share four partitions: every stage (checking, serving people, counting names) has tasks on
 * both. 2,000 requests arrive spread over the partitions: bursts of 30 for one ID number under 30 names, a burst
 * of 30 for one name under 30 ID numbers, copies of earlier requests on other partitions, and ordinary requests.
 * Exactly the caps reach the provider, every request has exactly one result, copies have none, and a person's
 * results keep the order in which the person was served.
 *
 * <p>Both instances are running with a settled assignment before the first request is sent, and the test checks
 * that no task moved during the run: a task that moves while its calls are in flight has them repeated by its
 * new owner (see {@code CrashResumeTest}), which exact call counts cannot allow for.
 */
class TwoWorkersKeepTheCapsTest {

    private static final String APP_CODE = "two-workers-appcode-1";
    private static final int PARTITIONS = 4;
    private static final int ID_BURSTS = 10;
    private static final int BURST = 30;
    private static final int TOTAL = 2_000;
    /** Copies of earlier requests, half sent among the originals and half once every result is out. */
    private static final int DUPLICATES = 100;

    @TempDir
    Path dir;

    /** One record to send: the request, its partition, and whose it is. */
    private record Sent(String requestId, String json, int partition, String idNumber, String name, boolean copy) {
        Sent copyOn(int otherPartition) {
            return new Sent(requestId, json, otherPartition, idNumber, name, true);
        }
    }

    @Test
    void capsHoldExactlyAcrossPartitionsAndInstancesAndNothingIsLost() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("two.");
        TopicSetup.createMissing(bootstrap, names, PARTITIONS, (short) 1);
        String image = TestImages.jpegBase64(320, 400);
        var people = new People();
        Random random = new Random(7);

        // ID bursts: one ID number, 30 names, over every partition.
        List<List<Sent>> idBursts = new ArrayList<>();
        for (int b = 0; b < ID_BURSTS; b++) {
            String id = people.nextId();
            List<Sent> burst = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                burst.add(sent("id-burst-" + b + "-" + i, people.nextName(), id, (i + b) % PARTITIONS, image));
            }
            idBursts.add(burst);
        }
        // The name burst: one name, 30 ID numbers (30 people, so served side by side), over every partition.
        String burstName = people.nextName();
        List<Sent> nameBurst = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            nameBurst.add(sent("name-burst-" + i, burstName, people.nextId(), i % PARTITIONS, image));
        }
        List<Sent> originals = new ArrayList<>();
        idBursts.forEach(originals::addAll);
        originals.addAll(nameBurst);
        List<Sent> ordinary = new ArrayList<>();
        while (originals.size() + ordinary.size() < TOTAL - DUPLICATES) {
            ordinary.add(sent("ordinary-" + ordinary.size(), people.nextName(), people.nextId(),
                    ordinary.size() % PARTITIONS, image));
        }
        originals.addAll(ordinary);
        Collections.shuffle(originals, random);

        // Copies: same requestId and content, each on another partition than its original. Half go among the
        // originals, some time after theirs (most arrive while the original is still being served); the other
        // half once every result is out (only the deduplication window's store can know them then).
        List<Sent> early = new ArrayList<>();
        idBursts.forEach(burst -> early.add(burst.get(7)));
        early.addAll(nameBurst.subList(0, 5));
        early.addAll(ordinary.subList(0, DUPLICATES / 2 - early.size()));
        List<Sent> late = new ArrayList<>();
        idBursts.subList(0, 5).forEach(burst -> late.add(burst.get(20)));
        late.addAll(nameBurst.subList(10, 15));
        late.addAll(ordinary.subList(DUPLICATES, DUPLICATES + DUPLICATES / 2 - late.size()));
        Map<Sent, Double> sendAt = new HashMap<>();
        for (int i = 0; i < originals.size(); i++) {
            sendAt.put(originals.get(i), (double) i);
        }
        for (Sent original : early) {
            double after = sendAt.get(original);
            sendAt.put(copyOnAnotherPartition(original, random),
                    after + 0.5 + random.nextDouble() * (originals.size() - after));
        }
        List<Sent> sequence = sendAt.keySet().stream().sorted(Comparator.comparingDouble(sendAt::get)).toList();
        List<Sent> lateCopies = late.stream().map(original -> copyOnAnotherPartition(original, random)).toList();
        assertThat(sequence.size() + lateCopies.size()).isEqualTo(TOTAL);
        assertThat(sequence.stream().filter(Sent::copy).count() + lateCopies.size()).isEqualTo(DUPLICATES);
        Set<String> copiedEarly = early.stream().map(Sent::requestId).collect(Collectors.toSet());
        Map<String, Sent> byId = originals.stream().collect(Collectors.toMap(Sent::requestId, s -> s));

        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities())) {
            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(20));
            ProviderUrl url = ProviderUrl.of("http://127.0.0.1:" + simulator.start(0));
            try (Worker first = Worker.start(config(bootstrap, url, names, "a"))) {
                // Alone, the first worker runs every task; then the second joins, before any request is sent.
                Set<String> everyTask = first.activeTasks();
                try (Worker second = Worker.start(config(bootstrap, url, names, "b"));
                     OutputCollector out = new OutputCollector(bootstrap, names.outputs())) {
                    Map<String, Set<String>> assignment = awaitSplit(first, second, everyTask);

                    send(bootstrap, names, sequence);
                    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                    while (Traffic.resultRecords(out.records(), names).size() < TOTAL - DUPLICATES
                            && System.nanoTime() < deadline) {
                        out.poll(Duration.ofMillis(200));
                    }
                    send(bootstrap, names, lateCopies);
                    while (duplicatesDropped(first, second) < DUPLICATES
                            && Traffic.resultRecords(out.records(), names).size() == TOTAL - DUPLICATES
                            && System.nanoTime() < deadline) {
                        out.poll(Duration.ofMillis(100));
                    }
                    out.catchUp(Duration.ofSeconds(5));

                    // The run is what the exact counts below assume: no task moved, both instances called.
                    assertThat(Map.of("a", first.activeTasks(), "b", second.activeTasks())).as("tasks after the run")
                            .isEqualTo(assignment);
                    assertThat(first.count("facecheck.provider.answers")).as("answers to the first worker").isPositive();
                    assertThat(second.count("facecheck.provider.answers")).as("answers to the second worker").isPositive();

                    // Nothing lost, nothing twice: one result per request, none for a copy.
                    List<ConsumerRecord<String, byte[]>> records = Traffic.resultRecords(out.records(), names);
                    List<VerificationResult> results = Traffic.results(out.records(), names);
                    assertThat(results).extracting(VerificationResult::requestId).doesNotHaveDuplicates()
                            .containsExactlyInAnyOrderElementsOf(byId.keySet()).hasSize(TOTAL - DUPLICATES);
                    assertThat(duplicatesDropped(first, second)).as("duplicates dropped by both workers")
                            .isEqualTo(DUPLICATES);
                    Map<String, VerificationResult> resultOf = new HashMap<>();
                    Map<String, ConsumerRecord<String, byte[]>> recordOf = new HashMap<>();
                    for (int i = 0; i < results.size(); i++) {
                        resultOf.put(results.get(i).requestId(), results.get(i));
                        recordOf.put(results.get(i).requestId(), records.get(i));
                    }

                    // Refusals: decided here, without a call, for the requests beyond a cap and for no other.
                    Set<String> idBurstIds = idBursts.stream().flatMap(List::stream).map(Sent::requestId)
                            .collect(Collectors.toSet());
                    Set<String> nameBurstIds = nameBurst.stream().map(Sent::requestId).collect(Collectors.toSet());
                    List<VerificationResult> refused = results.stream()
                            .filter(TwoWorkersKeepTheCapsTest::refused).toList();
                    assertThat(refused).allSatisfy(r -> {
                        assertThat(r.outcome()).isEqualTo(Outcome.THROTTLED.outcomeName());
                        assertThat(r.decidedBy()).isEqualTo(VerificationResult.DECIDED_LOCALLY);
                        assertThat(r.billing()).isEqualTo("unbilled");
                        assertThat(r.attempts()).isZero();
                        assertThat(r.reason()).isEqualTo(idBurstIds.contains(r.requestId()) ? "cap-per-id"
                                : nameBurstIds.contains(r.requestId()) ? "cap-per-name" : "not refused at all");
                    });
                    assertThat(refused.stream().collect(Collectors.groupingBy(VerificationResult::reason,
                            Collectors.counting()))).containsExactlyInAnyOrderEntriesOf(Map.of(
                            "cap-per-id", (long) ID_BURSTS * (BURST - Admission.DEFAULT_PER_ID),
                            "cap-per-name", (long) BURST - Admission.DEFAULT_PER_NAME));
                    // Everyone else was called once: every synthetic ID number is unknown to the provider (billed 5).
                    List<VerificationResult> called = results.stream()
                            .filter(r -> !refused(r)).toList();
                    assertThat(called).allSatisfy(r -> {
                        assertThat(r.error()).isEqualTo(Outcome.ID_NOT_FOUND.code());
                        assertThat(r.decidedBy()).isEqualTo(VerificationResult.DECIDED_BY_PROVIDER);
                        assertThat(r.attempts()).isEqualTo(1);
                    });
                    assertThat(simulator.calls()).as("calls").isEqualTo(called.size());
                    assertThat(simulator.billedCalls()).as("billed calls").isEqualTo(called.size());

                    // The caps, exactly, at the provider.
                    for (List<Sent> burst : idBursts) {
                        assertThat(simulator.callsForIdNumber(burst.get(0).idNumber()))
                                .as("calls for one burst's ID number").isEqualTo(Admission.DEFAULT_PER_ID);
                        for (Sent request : burst) {
                            boolean admitted = !refused(resultOf.get(request.requestId()));
                            assertThat(simulator.callsForName(request.name()))
                                    .as("calls for %s, %s", request.requestId(), admitted ? "admitted" : "refused")
                                    .isEqualTo(admitted ? 1 : 0);
                        }
                    }
                    assertThat(simulator.callsForName(burstName)).as("calls for the burst's name")
                            .isEqualTo(Admission.DEFAULT_PER_NAME);
                    for (Sent request : nameBurst) {
                        boolean admitted = !refused(resultOf.get(request.requestId()));
                        assertThat(simulator.callsForIdNumber(request.idNumber()))
                                .as("calls for %s, %s", request.requestId(), admitted ? "admitted" : "refused")
                                .isEqualTo(admitted ? 1 : 0);
                    }

                    // Every result where the default partitioner puts its key, so downstream joins find it.
                    recordOf.forEach((id, record) -> assertThat(record.partition()).as("partition of %s", id)
                            .isEqualTo(Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS));
                    // A person's results in the order the person was served.
                    for (List<Sent> burst : idBursts) {
                        String label = burst.get(0).requestId().replaceFirst("-\\d+$", "");
                        List<String> ids = burst.stream().map(Sent::requestId).toList();
                        // Served one at a time: the five admitted were answered before the first refusal.
                        Instant lastAdmitted = ids.stream().map(resultOf::get).filter(r -> !refused(r))
                                .map(VerificationResult::completedAt).max(Comparator.naturalOrder()).orElseThrow();
                        Instant firstRefused = ids.stream().map(resultOf::get).filter(TwoWorkersKeepTheCapsTest::refused)
                                .map(VerificationResult::completedAt).min(Comparator.naturalOrder()).orElseThrow();
                        assertThat(lastAdmitted).as("last admitted result of %s", label).isBeforeOrEqualTo(firstRefused);
                        // Requests sent in order on one partition keep it. (Across partitions the input order is not
                        // defined, and a copied request may be served from its copy's partition: both left out.)
                        for (int p = 0; p < PARTITIONS; p++) {
                            int partition = p;
                            List<String> inOrder = sequence.stream().filter(s -> !s.copy() && s.partition() == partition
                                    && ids.contains(s.requestId()) && !copiedEarly.contains(s.requestId()))
                                    .map(Sent::requestId).toList();
                            List<Boolean> admitted = inOrder.stream()
                                    .map(id -> !refused(resultOf.get(id))).toList();
                            assertThat(admitted).as("admitted, in input order on partition %d, of %s", p, label)
                                    .isSortedAccordingTo(Comparator.reverseOrder());
                            assertThat(inOrder.stream().map(resultOf::get).map(VerificationResult::completedAt).toList())
                                    .as("completion times of the results of %s sent on partition %d", label, p)
                                    .isSorted();
                        }
                    }

                    System.out.printf("two workers: %d requests (%d copies), %d results, %d calls, %.0f resumed; "
                                    + "tasks %s%n", TOTAL, DUPLICATES, results.size(), simulator.calls(),
                            first.count("facecheck.calls.resumed") + second.count("facecheck.calls.resumed"),
                            assignment);
                    assertThat(out.count(r -> r.topic().equals(names.retryableDeadLetters()))).isZero();
                }
            }
        } finally {
            vertx.close();
        }
    }

    /**
     * Waits until the two workers share every task the first one ran alone, each running part of every stage;
     * returns the assignment.
     */
    private static Map<String, Set<String>> awaitSplit(Worker first, Worker second, Set<String> all)
            throws InterruptedException {
        assertThat(all).as("tasks of the first worker alone").isNotEmpty();
        Set<String> stages = all.stream().map(t -> t.substring(0, t.indexOf('_'))).collect(Collectors.toSet());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> a = first.activeTasks();
        Set<String> b = second.activeTasks();
        while (!(splits(a, b, all, stages)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            a = first.activeTasks();
            b = second.activeTasks();
        }
        assertThat(splits(a, b, all, stages)).as("both workers run part of every stage: %s and %s", a, b).isTrue();
        return Map.of("a", a, "b", b);
    }

    private static boolean splits(Set<String> a, Set<String> b, Set<String> all, Set<String> stages) {
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        return union.equals(all) && union.size() == a.size() + b.size() && stages.stream()
                .allMatch(stage -> a.stream().anyMatch(t -> t.startsWith(stage + "_"))
                        && b.stream().anyMatch(t -> t.startsWith(stage + "_")));
    }

    /** Refused with result 8 (which of these tests' requests get only from a cap). */
    private static boolean refused(VerificationResult result) {
        return result.error() == Outcome.THROTTLED.code();
    }

    private static double duplicatesDropped(Worker first, Worker second) {
        return first.count("facecheck.requests.duplicates") + second.count("facecheck.requests.duplicates");
    }

    private static Sent copyOnAnotherPartition(Sent original, Random random) {
        return original.copyOn((original.partition() + 1 + random.nextInt(PARTITIONS - 1)) % PARTITIONS);
    }

    private static void send(String bootstrap, TopicNames names, List<Sent> records) {
        Traffic.sendTo(bootstrap, names.requests(), records.stream().map(Sent::json).toList(),
                records.stream().map(Sent::partition).toList());
    }

    private WorkerConfig config(String bootstrap, ProviderUrl url, TopicNames names, String instance) {
        return WorkerConfig.defaults(bootstrap, url, new Credentials.AppCodeAuth(AppCode.of(APP_CODE)),
                        "two-workers-secret-0123456789", dir.resolve("state-" + instance))
                .with("kafka.application-id", "two-workers").with("topics", names);
    }

    private static Sent sent(String requestId, String name, String idNumber, int partition, String image) {
        return new Sent(requestId, Traffic.request(requestId, name, idNumber, image), partition, idNumber, name, false);
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
