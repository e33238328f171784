package com.facecheck.cli;

import static com.facecheck.testing.SyntheticDeadLetters.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.app.Secrets;
import com.facecheck.app.Worker;
import com.facecheck.app.WorkerConfig;
import com.facecheck.contract.VerificationResult;
import com.facecheck.crypto.Keyset;
import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.testing.CliProcess;
import com.facecheck.testing.CliRun;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.CallSetup;
import com.facecheck.topology.DeadLetters;
import com.facecheck.topology.TopicNames;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-call engineer's evening, against the real broker and worker: 500 requests fail to the retryable dead letters
 * while the provider's quota is spent (the worker set to dead-letter then); {@code dlq} and a dry run show them and
 * produce nothing; the quota is renewed; a replay in its own process is killed with SIGKILL halfway, in the middle
 * of a transaction, and started again. Every dead letter is replayed exactly once, and the worker turns each into
 * exactly one more result, a final one.
 */
class ReplayThroughBrokerTest {

    private static final int REQUESTS = 500;
    private static final String APP_CODE = "replay-test-appcode-13";
    private static final String GROUP = "facecheck-replay";
    /** Replays per second: the whole replay takes about ten seconds, so that a kill halfway is easy to aim. */
    private static final int RATE = 50;

    @TempDir
    Path dir;

    @Test
    void deadLettersOfAnOutageAreReplayedExactlyOnceThroughAKilledReplayAndEachGetsOneFinalResult() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("replay-e2e.");
        TopicSetup.createMissing(bootstrap, names, 4, (short) 1);
        Path config = Files.writeString(dir.resolve("facecheck.yaml"), TestTopics.yaml(names));
        Map<String, String> env = Map.of(Keyset.ENV, Secrets.processKeyset().toJson());
        List<String> cli = List.of("--bootstrap-servers", bootstrap, "--config", config.toString());
        String image = TestImages.jpegBase64(320, 400);
        List<String> ids = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            ids.add("outage-" + i);
            requests.add(request("outage-" + i, 70_000 + i, image));
        }

        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // One billed call left: the opener spends it, and every later call meets "Quota Exhausted".
            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLimits(0, 1, 0, 0));
            WorkerConfig workerConfig = WorkerConfig.defaults(bootstrap,
                            ProviderUrl.of("http://127.0.0.1:" + simulator.start(0)),
                            new Credentials.AppCodeAuth(AppCode.of(APP_CODE)), "replay-test-secret-0123456789",
                            dir.resolve("state"))
                    .with("kafka.application-id", "replay-e2e").with("topics", names)
                    .with("provider.on-unavailable", CallSetup.OnUnavailable.DEAD_LETTER)
                    .with("provider.probe-interval", Duration.ofSeconds(1))
                    .with("provider.call-timeout", Duration.ofSeconds(5));
            try (Worker worker = Worker.start(workerConfig);
                 OutputCollector out = new OutputCollector(bootstrap, names.outputs())) {
                Traffic.send(bootstrap, names.requests(), List.of(request("opener", 69_999, image)));
                await(out, records -> Traffic.results(records, names).size() == 1, Duration.ofSeconds(60));
                Traffic.send(bootstrap, names.requests(), requests);
                List<ConsumerRecord<String, byte[]>> outage = await(out, records -> on(records,
                        names.retryableDeadLetters()).size() == REQUESTS
                        && Traffic.results(records, names).size() == REQUESTS + 1, Duration.ofSeconds(90));
                assertThat(on(outage, names.retryableDeadLetters())).extracting(ConsumerRecord::key)
                        .containsExactlyInAnyOrderElementsOf(ids);
                assertThat(Traffic.results(outage, names)).filteredOn(r -> ids.contains(r.requestId()))
                        .allSatisfy(r -> assertThat(r.reason()).isEqualTo("provider-unavailable"));

                CliRun dlq = CliRun.withEnvironment(env, args(List.of("dlq"), cli));
                assertThat(dlq.exitCode()).as(dlq.err()).isZero();
                assertThat(dlq.out()).contains(names.retryableDeadLetters() + ": " + REQUESTS + ", oldest ")
                        .contains("  provider-unavailable: " + REQUESTS + ", oldest ")
                        .contains("  replayed before: " + REQUESTS + " never")
                        .contains(": " + REQUESTS + " (the keyset holds it)");

                long requestTopicEnd = endOffsets(admin, names.requests());
                CliRun dry = CliRun.withEnvironment(env, args(List.of("replay", "--dry-run"), cli));
                assertThat(dry.exitCode()).as(dry.err()).isZero();
                assertThat(dry.out()).contains("would replay " + REQUESTS + " to " + names.requests() + ", park 0")
                        .contains("  provider-unavailable: replay " + REQUESTS + ", oldest ");
                assertThat(endOffsets(admin, names.requests())).as("the dry run produced nothing")
                        .isEqualTo(requestTopicEnd);
                assertThat(committed(admin, names.retryableDeadLetters())).as("nor committed progress").isEmpty();

                simulator.behaviour(SimulatorBehaviour.wellBehaved()); // the quota is renewed
                Thread.sleep(1_500); // past the probe interval: the next call goes as the probe and closes the circuit
                Traffic.send(bootstrap, names.requests(), List.of(request("probe", 69_998, image)));
                List<VerificationResult> probed = Traffic.results(await(out, records -> Traffic.results(records,
                        names).size() == REQUESTS + 2, Duration.ofSeconds(30)), names);
                assertThat(probed).filteredOn(r -> r.requestId().equals("probe")).singleElement()
                        .extracting(VerificationResult::error).as("the probe got a verdict").isNotEqualTo(9);

                String[] replay = args(List.of("replay", "--rate", Integer.toString(RATE)), cli);
                int killedAfter;
                int uncommittedAtKill;
                try (CliProcess first = CliProcess.start(dir, "replay-killed", env, replay)) {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (replays(bootstrap, names, IsolationLevel.READ_COMMITTED).size() < REQUESTS * 3 / 10
                            && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    first.close(); // SIGKILL
                    assertThat(first.exitCode(Duration.ofSeconds(10))).as("killed, not finished: %s", first.out())
                            .isEqualTo(137);
                    assertThat(first.out()).isEmpty();
                }
                Thread.sleep(1_000); // a commit the coordinator took before the kill is written by now
                killedAfter = replays(bootstrap, names, IsolationLevel.READ_COMMITTED).size();
                uncommittedAtKill = replays(bootstrap, names, IsolationLevel.READ_UNCOMMITTED).size() - killedAfter;

                String summary;
                long startedAgain = System.nanoTime();
                try (CliProcess second = CliProcess.start(dir, "replay-again", env, replay)) {
                    assertThat(second.exitCode(Duration.ofSeconds(90))).as(second.err()).isZero();
                    summary = second.out();
                }
                Duration took = Duration.ofNanos(System.nanoTime() - startedAgain);
                Matcher replayed = Pattern.compile("^Replayed (\\d+) to ").matcher(summary);
                assertThat(replayed.find()).as(summary).isTrue();
                int afterRestart = Integer.parseInt(replayed.group(1));
                System.out.printf("replayed before the kill %d (committed), %d more in the transaction the kill left"
                        + " open; after the restart %d in %d ms%n", killedAfter, uncommittedAtKill, afterRestart,
                        took.toMillis());
                // The bucket starts with a tenth of a second's worth; everything after that waits its turn.
                assertThat(took).as("--rate %d", RATE).isGreaterThanOrEqualTo(
                        Duration.ofMillis((afterRestart - RATE / 10) * 1000L / RATE));
                assertThat(killedAfter).as("killed halfway").isBetween(REQUESTS * 3 / 10, REQUESTS - 1);
                assertThat(killedAfter + afterRestart).as("what the restart replayed is what the first run had not")
                        .isEqualTo(REQUESTS);

                List<ConsumerRecord<byte[], byte[]>> committedReplays = replays(bootstrap, names,
                        IsolationLevel.READ_COMMITTED);
                assertThat(committedReplays).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                        .as("every dead letter replayed exactly once").containsExactlyInAnyOrderElementsOf(ids);
                assertThat(committedReplays).extracting(r -> header(r.headers(), DeadLetters.REPLAY_COUNT))
                        .containsOnly("1");
                assertThat(replays(bootstrap, names, IsolationLevel.READ_UNCOMMITTED))
                        .as("the killed run's open transaction was aborted, not committed")
                        .hasSize(REQUESTS + uncommittedAtKill);

                List<ConsumerRecord<String, byte[]>> after = await(out, records -> Traffic.results(records, names)
                        .size() == 2 * REQUESTS + 2, Duration.ofSeconds(90));
                Map<String, List<Integer>> codes = new HashMap<>();
                Traffic.results(after, names).forEach(r -> codes.computeIfAbsent(r.requestId(), id -> new ArrayList<>())
                        .add(r.error()));
                assertThat(ids).allSatisfy(id -> assertThat(codes.get(id)).as(id).hasSize(2).startsWith(9)
                        .last().isNotEqualTo(9));
                assertThat(worker.count("facecheck.requests.duplicates")).as("no replay dropped as a duplicate")
                        .isZero();
                assertThat(on(out.catchUp(Duration.ofSeconds(5)), names.retryableDeadLetters()))
                        .as("no replay failed again").hasSize(REQUESTS);

                CliRun nothingLeft = CliRun.withEnvironment(env, args(List.of("replay"), cli));
                assertThat(nothingLeft.out()).startsWith("Replayed 0 to " + names.requests() + ", parked 0");
                assertThat(replays(bootstrap, names, IsolationLevel.READ_COMMITTED)).hasSize(REQUESTS);
            }
        } finally {
            vertx.close();
        }
    }

    private static String request(String requestId, int person, String image) {
        return Traffic.request(requestId, TestIds.name(person), TestIds.idNumber(person), image);
    }

    private static String[] args(List<String> command, List<String> options) {
        List<String> all = new ArrayList<>(command);
        all.addAll(options);
        return all.toArray(String[]::new);
    }

    private static List<ConsumerRecord<String, byte[]>> await(OutputCollector out,
                                                              Predicate<List<ConsumerRecord<String, byte[]>>> done,
                                                              Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<ConsumerRecord<String, byte[]>> records = out.poll(Duration.ofMillis(100));
        while (!done.test(records) && System.nanoTime() < deadline) {
            records = out.poll(Duration.ofMillis(200));
        }
        assertThat(done.test(records)).as("within %s", within).isTrue();
        return records;
    }

    private static List<ConsumerRecord<String, byte[]>> on(List<ConsumerRecord<String, byte[]>> records,
                                                          String topic) {
        return records.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    /** The replayed records on the request topic, as a reader of that isolation level sees them now. */
    private static List<ConsumerRecord<byte[], byte[]>> replays(String bootstrap, TopicNames names,
                                                                IsolationLevel isolation) {
        Map<String, Object> p = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        List<ConsumerRecord<byte[], byte[]>> replays = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(names.requests()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (r.headers().lastHeader(DeadLetters.REPLAY_COUNT) != null) {
                        replays.add(r);
                    }
                });
            }
        }
        return replays;
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        Set<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp,
                        tp -> org.apache.kafka.clients.admin.OffsetSpec.latest())))
                .all().get(30, TimeUnit.SECONDS).values().stream().mapToLong(o -> o.offset()).sum();
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String topic) throws Exception {
        return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
