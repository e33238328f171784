package com.facecheck.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.chaos.ChaosRequests.Sent;
import com.facecheck.chaos.WorkerProcess.Deployment;
import com.facecheck.ops.TopicSetup;
import com.facecheck.provider.AppCode;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.simulator.SimulatorBehaviour;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.topology.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 2, broker failover: a cluster of three brokers, every topic the worker reads or writes (its changelogs,
 * repartition topics, the consumer offsets and the transaction log included) with three replicas and two needed in
 * sync. While requests arrive, the broker leading the most partitions is killed with SIGKILL and started again eight
 * seconds later. The worker carries on by itself, and nothing is lost or doubled.
 */
class BrokerFailoverTest {

    private static final int REQUESTS = 1_000;
    private static final double REQUESTS_PER_SECOND = 75;

    @TempDir
    Path dir;

    @Test
    void theWorkerCarriesOnWhenTheBusiestBrokerDiesAndComesBack() throws Exception {
        long seed = Long.getLong("facecheck.chaos.seed", System.nanoTime());
        System.out.println("broker failover: seed " + seed);
        Random random = new Random(seed);
        TopicNames names = TestTopics.prefixed("chaos-failover.");
        List<Sent> sent = ChaosRequests.mix("failover-", REQUESTS, 300_000, TestImages.jpegBase64(120, 150), seed);
        try (BrokerNodes brokers = BrokerNodes.start(dir.resolve("kafka"), 3);
             ProviderSimulator simulator = ProviderSimulator.standalone(
                     ProviderSimulator.Accounts.appCodeOnly(AppCode.of(Deployment.APP_CODE)))) {
            String bootstrap = brokers.bootstrapServers();
            TopicSetup.createMissing(bootstrap, names, 4, (short) 3);
            simulator.behaviour(SimulatorBehaviour.wellBehaved().withLatency(100));
            Deployment deployment = Deployment.of(dir, names, bootstrap, "http://127.0.0.1:" + simulator.start(0),
                    "chaos-failover", "");
            try (WorkerProcess worker = WorkerProcess.start(deployment, "a", "run1");
                 Outputs out = new Outputs(bootstrap, names)) {
                int killed;
                int inFlightAtKill;
                try (Feeder feeder = Feeder.start(bootstrap, names.requests(), sent, REQUESTS_PER_SECOND)) {
                    out.awaitUntil(o -> o.resultCount() >= 100, Duration.ofMinutes(2), "the first results");
                    Thread.sleep(random.nextInt(3_000));
                    killed = brokers.leaderOfMostPartitions();
                    inFlightAtKill = simulator.callsInFlight();
                    brokers.kill(killed);
                    System.out.printf("killed broker %d after %d requests sent, %d calls in flight%n", killed + 1,
                            feeder.handedOver(), inFlightAtKill);
                    Thread.sleep(8_000);
                    brokers.restart(killed);
                    feeder.awaitSent(Duration.ofMinutes(3));
                }
                out.awaitUntil(o -> sent.stream().allMatch(s -> !o.resultsOf(s.requestId()).isEmpty()),
                        Duration.ofMinutes(3), "every request");
                Thread.sleep(1_000);
                out.catchUp();

                Promises.Report report = Promises.check(sent, out, simulator, Set.of());
                System.out.println("broker failover: " + report.summary());
                report.assertKept();
                assertThat(worker.alive()).as("the worker ran on by itself: %s", worker.log()).isTrue();
                assertThat(report.extraCalls()).as("calls repeated, against %d in flight at the kill", inFlightAtKill)
                        .isLessThanOrEqualTo(inFlightAtKill);
                assertEveryTopicIsReplicatedThreeTimesWithTwoInSync(bootstrap);
            }
        }
    }

    private static void assertEveryTopicIsReplicatedThreeTimesWithTwoInSync(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
            assertThat(topics).as("the worker's changelogs and repartition topics")
                    .anyMatch(t -> t.startsWith("chaos-failover-") && t.endsWith("-changelog"))
                    .anyMatch(t -> t.startsWith("chaos-failover-") && t.endsWith("-repartition"))
                    .contains("__consumer_offsets", "__transaction_state");
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
            assertThat(described.values()).allSatisfy(topic -> assertThat(topic.partitions())
                    .as(topic.name()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3)));
            List<ConfigResource> resources = topics.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
            configs.forEach((topic, config) -> assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value())
                    .as("min.insync.replicas of %s", topic.name()).isEqualTo("2"));
        }
    }
}
