package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.app.Secrets;
import com.facecheck.contract.Json;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.Keyset;
import com.facecheck.crypto.SealedRequest;
import com.facecheck.identity.PhotoCheck;
import com.facecheck.identity.PhotoVerdict;
import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatedIdentity;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.testing.CliProcess;
import com.facecheck.testing.CliRun;
import com.facecheck.testing.LeakScan;
import com.facecheck.testing.SamplePeople;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.DeadLetters;
import com.facecheck.topology.TopicNames;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issues 12 and 13's proof: after a run with a crash, a key rotation, retries, dead letters of both kinds, a replay
 * and dead letters parked by the next one, no raw name, ID number, photo fragment or AppCode is anywhere the worker or the broker keeps data — the broker's log segments on
 * disk (purged and aborted records included), every topic read with read_uncommitted, both workers' RocksDB
 * directories, and the logs of the broker and the workers at DEBUG. The request topic is the one place they rest in
 * clear: upstream writes it so. It is left out of the search and serves as the control that the search finds what is
 * there; request ids in the state directories and logs are the control that those were searched where data is.
 *
 * <p>Everything runs as in production, each in its own process: the broker ({@code facecheck broker}), worker A
 * ({@code run}, killed with SIGKILL while its calls are in flight) and worker B ({@code run}, under a keyset whose
 * primary key is new, stopped with SIGTERM). Only the provider simulator, which stands for the provider that must
 * receive the data, runs in the test.
 */
class LeakScanTest {

    private static final String APP_CODE = "leak-scan-appcode-7f3a9c";
    private static final String HASH_SECRET = "leak-scan-hash-secret-0123456789";
    private static final int PEOPLE = 30;
    private static final Pattern BROKER_READY = Pattern.compile("Kafka broker ready at (\\S+)");
    private static final Pattern RUNNING = Pattern.compile("health and metrics on port (\\d+)");
    /** Kafka's offset indexes are preallocated and sparse (10 MB of mostly zeros each) and hold only offsets. */
    private static final Predicate<Path> NOT_AN_INDEX = p -> !p.toString().endsWith(".index")
            && !p.toString().endsWith(".timeindex");

    @TempDir
    Path dir;

    private record Sent(String requestId, String name, String idNumber, String image) {
    }

    @Test
    void noRawPersonalDataOrSecretRestsAnywhereAfterCrashesRotationAndDeadLetters() throws Exception {
        TopicNames names = TestTopics.prefixed("leak.");
        Path brokerData = dir.resolve("broker-data");
        CliProcess broker = CliProcess.start(dir, "broker", Map.of("FACECHECK_LOG_LEVEL", "DEBUG",
                "FACECHECK_KAFKA_LOG_LEVEL", "INFO"), "broker", "--port", Integer.toString(freePort()),
                "--data-dir", brokerData.toString());
        List<CliProcess> processes = new ArrayList<>(List.of(broker));
        Vertx vertx = Vertx.vertx();
        try {
            String bootstrap = broker.await(BROKER_READY, Duration.ofSeconds(90)).group(1);
            TopicSetup.createMissing(bootstrap, names, 4, (short) 1);
            Path config = Files.writeString(dir.resolve("facecheck.yaml"), TestTopics.yaml(names)
                    + "provider:\n  retry:\n    first-backoff: 100ms\n    max-backoff: 200ms\n");
            List<Sent> sent = requests();
            Sent keyed = sent.get(0);
            Keyset first = Keyset.generate();
            Keyset rotated = rotate(first);
            try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                    ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities());
                 OutputCollector out = new OutputCollector(bootstrap, names.outputs())) {
                // Slow answers: worker A dies with calls in flight and an open transaction.
                simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(1500));
                String providerUrl = "http://127.0.0.1:" + simulator.start(0);

                CliProcess a = run("worker-a", first, config, bootstrap, providerUrl);
                processes.add(a);
                a.await(RUNNING, Duration.ofSeconds(90));
                Traffic.send(bootstrap, names.requests(), sent.stream().map(LeakScanTest::json).toList(), 4);
                // Upstream may key requests by ID number, and send bytes that are no request at all.
                Traffic.sendBytes(bootstrap, names.requests(), keyed.idNumber().getBytes(StandardCharsets.UTF_8),
                        List.of(("{\"requestId\":\"leak-poison\",\"name\":\"" + keyed.name() + "\",\"idNumber\":\""
                                + keyed.idNumber() + "\",\"image\":").getBytes(StandardCharsets.UTF_8)));
                awaitCalls(simulator, 8);
                a.close();
                assertThat(a.terminate(Duration.ofSeconds(30))).as("killed").isNotZero();

                CliProcess b = run("worker-b", rotated, config, bootstrap, providerUrl);
                processes.add(b);
                b.await(RUNNING, Duration.ofSeconds(90));
                simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(50));
                Set<String> ids = sent.stream().map(Sent::requestId).collect(Collectors.toSet());
                List<VerificationResult> results = awaitResults(out, names, ids.size());
                assertThat(results).extracting(VerificationResult::requestId).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(ids);
                List<ConsumerRecord<String, byte[]>> retryable = out.records().stream()
                        .filter(r -> r.topic().equals(names.retryableDeadLetters())).toList();
                assertThat(retryable).extracting(ConsumerRecord::key).as("failed and throttled, kept for a replay")
                        .containsExactlyInAnyOrder("leak-failed-0", "leak-failed-1", "leak-throttled-0");
                // Replayed, they fail again; replayed once already, the next replay parks them.
                Map<String, String> operator = Map.of(Keyset.ENV, rotated.toJson());
                String[] replay = {"replay", "--bootstrap-servers", bootstrap, "--config", config.toString()};
                CliRun replayed = CliRun.withEnvironment(operator, replay);
                assertThat(replayed.exitCode()).as(replayed.err()).isZero();
                awaitRecords(out, names.retryableDeadLetters(), 2 * retryable.size());
                CliRun parked = CliRun.withEnvironment(operator, concat(replay, "--max-replays", "1"));
                assertThat(parked.exitCode()).as(parked.err()).isZero();
                assertThat(readAll(bootstrap, List.of(names.parkedDeadLetters()))).extracting(r -> new String(r.key(),
                        StandardCharsets.UTF_8)).containsExactlyInAnyOrderElementsOf(
                        retryable.stream().map(ConsumerRecord::key).toList());
                assertThat(b.terminate(Duration.ofSeconds(60))).as(b.err()).isZero();

                // Under the rotated keyset, what either key sealed opens: the dead letters and the poison copy.
                FieldCipher cipher = new FieldCipher(rotated);
                Map<String, Sent> byId = sent.stream().collect(Collectors.toMap(Sent::requestId, s -> s));
                for (ConsumerRecord<String, byte[]> r : retryable) {
                    VerificationRequest opened = SealedRequest.mapper(cipher).readValue(r.value(),
                            VerificationRequest.class);
                    assertThat(opened.idNumber()).isEqualTo(byId.get(r.key()).idNumber());
                    assertThat(opened.image()).isEqualTo(byId.get(r.key()).image());
                    assertThat(Json.MAPPER.readValue(r.value(), SealedRequest.class).sealed().keyId())
                            .as("sealed by worker B").isEqualTo(Integer.toUnsignedLong(rotated.primaryId()));
                }
                assertThat(readAll(bootstrap, List.of(names.poisonDeadLetters()))).isNotEmpty().allSatisfy(poison ->
                        assertThat(cipher.open(poison.key(), DeadLetters.poisonContext(poison.headers(), "key")))
                                .asString(StandardCharsets.UTF_8).isEqualTo(keyed.idNumber()));
            }

            LeakScan scan = needles(sent);
            List<String> topics = topics(bootstrap);
            assertThat(topics).as("the by-person repartition topic and the pending stores' changelogs were written")
                    .anyMatch(t -> t.endsWith("-facecheck-by-person-repartition"))
                    .anyMatch(t -> t.endsWith("-facecheck-pending-requests-changelog"))
                    .anyMatch(t -> t.endsWith("-facecheck-pending-photos-changelog"));
            assertThat(segmentMillis(bootstrap, topics.stream().filter(t -> t.contains("-facecheck-pending-")).toList()))
                    .as("what ended leaves the pending changelogs at the next compaction, within hours")
                    .containsOnly(Duration.ofHours(1).toMillis());
            topics.remove(names.requests());
            scan.records("topics (read_uncommitted)", readAll(bootstrap, topics));
            assertThat(broker.terminate(Duration.ofSeconds(60))).as(broker.err()).isZero();

            Predicate<Path> requestTopic = p -> p.getFileName() != null
                    && brokerData.relativize(p).toString().matches(".*" + Pattern.quote(names.requests()) + "-\\d+.*");
            scan.files("broker log segments", brokerData, NOT_AN_INDEX.and(requestTopic.negate()));
            scan.files("worker state (RocksDB)", dir.resolve("state"), p -> true);
            scan.files("logs", dir, p -> p.getFileName().toString().endsWith(".err")
                    || p.getFileName().toString().endsWith(".out"));
            System.out.printf("leak scan: %d needles (%d people, %d photos, the AppCode, the hash secret)%n%s", scan.needles(),
                    sent.size(), sent.size(), scan.coverage());

            assertThat(scan.found()).as("raw personal data or the AppCode at rest").isEmpty();
            // Controls: the search finds what is there.
            assertThat(LeakScan.anyFileHolds(brokerData, requestTopic.and(NOT_AN_INDEX), keyed.idNumber()))
                    .as("the request topic's own segments hold the ID numbers upstream sent").isTrue();
            assertThat(LeakScan.anyFileHolds(dir.resolve("state"), p -> true, sent.get(PEOPLE - 1).requestId()))
                    .as("the state directories hold the dedup store's request ids").isTrue();
            assertThat(LeakScan.anyFileHolds(dir, p -> p.toString().endsWith("worker-b.err"),
                    sent.get(PEOPLE - 1).requestId())).as("worker B's DEBUG log follows the requests").isTrue();
        } finally {
            processes.forEach(CliProcess::close);
            vertx.close();
        }
    }

    /** People of their own, each with a photo of their own; two failing and one throttled at the provider. */
    private static List<Sent> requests() {
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            sent.add(new Sent("leak-" + i, TestIds.name(61_000 + i), TestIds.idNumber(61_000 + i), photo(i)));
        }
        SimulatedIdentity failing = SamplePeople.answering(Outcome.FAILED);
        SimulatedIdentity throttled = SamplePeople.answering(Outcome.THROTTLED);
        sent.add(new Sent("leak-failed-0", failing.name(), failing.idNumber(), photo(100)));
        sent.add(new Sent("leak-failed-1", failing.name(), failing.idNumber(), photo(101)));
        sent.add(new Sent("leak-throttled-0", throttled.name(), throttled.idNumber(), photo(102)));
        return sent;
    }

    /** A camera-like JPEG of about 40 KB that the check sends on as it is (checked below). */
    private static String photo(int seed) {
        String base64 = TestImages.base64(TestImages.jpeg(TestImages.noisyPortrait(320, 400, 6, seed), 0.8f));
        PhotoVerdict verdict = new PhotoCheck().check(base64);
        assertThat(verdict).isInstanceOfSatisfying(PhotoVerdict.Accepted.class,
                accepted -> assertThat(accepted.reencoded()).as("sent as it came").isFalse());
        return base64;
    }

    private static String json(Sent s) {
        return Traffic.request(s.requestId(), s.name(), s.idNumber(), s.image());
    }

    private static LeakScan needles(List<Sent> sent) {
        LeakScan scan = new LeakScan().text("the AppCode", APP_CODE).text("the hash secret", HASH_SECRET);
        for (Sent s : sent) {
            scan.name("name of " + s.requestId(), s.name()).text("ID number of " + s.requestId(), s.idNumber())
                    .photo("photo of " + s.requestId(), s.image());
        }
        return scan;
    }

    private static Keyset rotate(Keyset keyset) {
        Keyset added = keyset.withNewKey();
        int fresh = added.keys().stream().filter(k -> !k.primary()).findFirst().orElseThrow().id();
        return added.promote(fresh);
    }

    private CliProcess run(String name, Keyset keyset, Path config, String bootstrap, String providerUrl)
            throws IOException {
        return CliProcess.start(dir, name, Map.of(Credentials.APPCODE_ENV, APP_CODE, Secrets.HASH_SECRET_ENV,
                        HASH_SECRET, Keyset.ENV, keyset.toJson(), "FACECHECK_LOG_LEVEL", "DEBUG",
                        "FACECHECK_KAFKA_LOG_LEVEL", "INFO"),
                "run", "--config", config.toString(), "--bootstrap-servers", bootstrap, "--provider-url", providerUrl,
                "--application-id", "leak-scan", "--set", "http.port=0",
                "--set", "streams.state-dir=" + dir.resolve("state").resolve(name),
                // A killed worker's partitions and open transaction move on within seconds.
                "--kafka-config", "consumer.session.timeout.ms=6000,consumer.heartbeat.interval.ms=1000,"
                        + "producer.transaction.timeout.ms=5000");
    }

    private static void awaitCalls(ProviderSimulator simulator, int calls) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (simulator.callsInFlight() < calls && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(simulator.callsInFlight()).as("calls in flight").isGreaterThanOrEqualTo(calls);
    }

    private static List<VerificationResult> awaitResults(OutputCollector out, TopicNames names, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (Traffic.results(out.records(), names).size() < expected && System.nanoTime() < deadline) {
            out.poll(Duration.ofMillis(200));
        }
        out.catchUp(Duration.ofSeconds(5));
        return Traffic.results(out.records(), names);
    }

    private static void awaitRecords(OutputCollector out, String topic, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (out.count(r -> r.topic().equals(topic)) < expected && System.nanoTime() < deadline) {
            out.poll(Duration.ofMillis(200));
        }
        assertThat(out.count(r -> r.topic().equals(topic))).as("records on " + topic).isEqualTo(expected);
    }

    private static String[] concat(String[] first, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(more))
                .toArray(String[]::new);
    }

    private static List<String> topics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return new ArrayList<>(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get());
        }
    }

    private static List<Long> segmentMillis(String bootstrap, List<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            return admin.describeConfigs(resources).all().get().values().stream()
                    .map(c -> Long.parseLong(c.get(TopicConfig.SEGMENT_MS_CONFIG).value())).toList();
        }
    }

    /** Every record of {@code topics}, aborted transactions' too. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, List<String> topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = topics.stream().flatMap(t -> consumer.partitionsFor(t).stream()
                    .map(info -> new TopicPartition(t, info.partition()))).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(partitions).as("every partition read to its end")
                    .allSatisfy(tp -> assertThat(consumer.position(tp)).isGreaterThanOrEqualTo(end.get(tp)));
        }
        return records;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
