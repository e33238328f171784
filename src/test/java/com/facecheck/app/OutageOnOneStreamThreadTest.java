package com.facecheck.app;

import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.provider.RetryPolicy;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.provider.ProviderUrl;
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
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One stream thread owns 32 partitions through a 60-second provider outage (quota exhausted, calls paused). The
 * thread must never wait for the provider: it keeps taking requests into its stores and committing, well inside
 * the exactly-once transaction timeout, so no producer is fenced and no task moves. Once the quota is renewed,
 * every request is answered.
 */
class OutageOnOneStreamThreadTest {

    private static final String APP_CODE = "outage-test-appcode-3";
    private static final int PARTITIONS = 32;
    private static final int PER_PARTITION = 10;
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;

    @Test
    void thirtyTwoPartitionsOnOneThreadRideOutAMinuteOfOutageWithoutFencingOrMovingATask() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("outage.");
        TopicSetup.createMissing(bootstrap, names, PARTITIONS, (short) 1);
        String image = TestImages.jpegBase64(320, 400);
        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities())) {
            // One billed call left: the opener spends it, and every later call meets "Quota Exhausted".
            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLimits(0, 1, 0, 0));
            ProviderUrl url = ProviderUrl.of("http://127.0.0.1:" + simulator.start(0));
            WorkerConfig config = WorkerConfig.defaults(bootstrap, url, new Credentials.AppCodeAuth(AppCode.of(APP_CODE)),
                            "outage-test-secret-0123456789", stateDir)
                    .with("kafka.application-id", "outage-32").with("topics", names)
                    .with("provider.call-timeout", Duration.ofSeconds(5))
                    .with("provider.retry", RetryPolicy.defaults())
                    .with("provider.probe-interval", Duration.ofSeconds(5));
            try (Worker worker = Worker.start(config);
                 OutputCollector out = new OutputCollector(bootstrap, names.outputs());
                 Admin admin = Admin.create(adminProperties(bootstrap))) {
                Set<String> tasks = worker.activeTasks();
                Traffic.sendTo(bootstrap, names.requests(), List.of(request("opener", 0, image)), List.of(0));
                awaitResults(out, names, 1, Duration.ofSeconds(30));

                // Two waves: when the second arrives, every task already holds calls that wait for the provider, so
                // anything that paced intake by outstanding calls would hold the thread now.
                long outageStart = System.nanoTime();
                List<String> requests = new ArrayList<>();
                for (int wave = 0; wave < 2; wave++) {
                    List<String> sent = new ArrayList<>();
                    List<Integer> partitions = new ArrayList<>();
                    for (int i = 0; i < PARTITIONS * PER_PARTITION / 2; i++) {
                        int n = requests.size() + sent.size();
                        sent.add(request("during-" + n, n + 1, image));
                        partitions.add(i % PARTITIONS);
                    }
                    Traffic.sendTo(bootstrap, names.requests(), sent, partitions);
                    requests.addAll(sent);
                    awaitInputCommitted(admin, "outage-32", names.requests(), Duration.ofSeconds(30));
                    Thread.sleep(3_000); // for the requests to pass their name claims and wait as calls
                }
                assertThat(Duration.ofNanos(System.nanoTime() - outageStart))
                        .as("every request was taken and committed while the provider was still down")
                        .isLessThan(OUTAGE);
                long left = OUTAGE.toNanos() - (System.nanoTime() - outageStart);
                TimeUnit.NANOSECONDS.sleep(Math.max(0, left));
                out.poll(Duration.ofMillis(500));
                assertThat(Traffic.results(out.records(), names)).as("nothing is answered during the outage")
                        .hasSize(1);
                assertThat(worker.count("facecheck.provider.unavailable")).isEqualTo(1.0);

                simulator.behaviour(SimulatorBehaviour.wellBehaved()); // the quota is renewed
                List<VerificationResult> results = awaitResults(out, names, requests.size() + 1, Duration.ofSeconds(90));

                assertThat(results).extracting(VerificationResult::requestId).doesNotHaveDuplicates()
                        .hasSize(requests.size() + 1);
                assertThat(results).filteredOn(r -> !r.requestId().equals("opener"))
                        .allSatisfy(r -> assertThat(r.outcomeEnum().isVerdict()).as(r.requestId()).isTrue());
                assertThat(worker.count("facecheck.streams.rebalances")).as("no producer fenced, no task moved")
                        .isZero();
                assertThat(worker.count("facecheck.streams.threads.replaced")).isZero();
                assertThat(worker.activeTasks()).isEqualTo(tasks);
                assertThat(Traffic.resultRecords(out.records(), names)).hasSize(results.size());
            }
        } finally {
            vertx.close();
        }
    }

    private static String request(String requestId, int person, String image) {
        return Traffic.request(requestId, TestIds.name(90_000 + person), TestIds.idNumber(90_000 + person), image);
    }

    private static List<VerificationResult> awaitResults(OutputCollector out, TopicNames names, int expected,
                                                         Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (Traffic.results(out.records(), names).size() < expected && System.nanoTime() < deadline) {
            out.poll(Duration.ofMillis(200));
        }
        List<VerificationResult> results = Traffic.results(out.records(), names);
        assertThat(results).as("results within %s", within).hasSizeGreaterThanOrEqualTo(expected);
        return results;
    }

    /** Waits until the application's committed offsets on the input reach its end offsets. */
    private static void awaitInputCommitted(Admin admin, String group, String topic, Duration within)
            throws Exception {
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, PARTITIONS).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            if (ends.entrySet().stream().allMatch(end -> committed.containsKey(end.getKey())
                    && committed.get(end.getKey()).offset() >= end.getValue())) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the input was not committed to its end within " + within);
    }

    private static Properties adminProperties(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }
}
