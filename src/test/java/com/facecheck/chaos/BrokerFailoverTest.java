package com.facecheck.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.chaos.ChaosRequests.Sent;
import com.facecheck.simulator.SimulatorBehaviour;
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
 * seconds after results flow again. The worker carries on by itself, and nothing is lost or doubled.
 */
class BrokerFailoverTest {

    private static final int REQUESTS = 1_000;
    private static final double REQUESTS_PER_SECOND = 50;
    private static final int WARM_UP = 100;

    @TempDir
    Path dir;

    @Test
    void theWorkerCarriesOnWhenTheBusiestBrokerDiesAndComesBack() throws Exception {
        ChaosLog log = new ChaosLog("broker failover");
        Random random = log.random();
        List<Sent> sent = ChaosRequests.mix("failover-", REQUESTS, 300_000, ChaosRequests.SMALL_PHOTO, log.seed());
        try (BrokerNodes brokers = BrokerNodes.start(dir.resolve("kafka"), 3);
             Stage stage = Stage.set(brokers.bootstrapServers(), (short) 3, dir, "chaos-failover",
                     SimulatorBehaviour.wellBehaved().withLatency(100), "")) {
            log.say("three brokers listening");
            try (WorkerProcess worker = WorkerProcess.start(stage.deployment, "a", "run1");
                 Outputs out = new Outputs(stage.bootstrap, stage.names)) {
                long exposed;
                try (Feeder feeder = stage.feedOnceServing(sent, WARM_UP, REQUESTS_PER_SECOND, out)) {
                    log.say("worker serving, calls flowing");
                    Thread.sleep(random.nextInt(2_000));
                    int killed = brokers.leaderOfMostPartitions();
                    int committedAtKill = out.committedNow();
                    Stage.Exposure atKill = stage.exposureOf(worker);
                    brokers.kill(killed);
                    log.say("killed broker %d after %d requests sent, %d calls unsettled", killed + 1,
                            WARM_UP + feeder.handedOver(), atKill.unsettled());
                    out.awaitProgressBeyond(committedAtKill, Duration.ofMinutes(2));
                    exposed = atKill.total();
                    log.say("results again, %d calls exposed", exposed);
                    Thread.sleep(8_000);
                    brokers.restart(killed);
                    log.say("broker %d started again", killed + 1);
                    feeder.awaitSent(Duration.ofMinutes(3));
                }
                out.awaitEvery(sent, Duration.ofMinutes(3));

                Promises.Report report = Promises.check(sent, out, stage.simulator, Set.of());
                log.say(report.summary());
                // Should a transaction be aborted on the way, its answers are redone: at most the calls unsettled at
                // the kill and those started from then until results flowed again.
                report.assertKept().assertRanOnWithExtraCallsAtMost(worker, exposed);
                assertEveryTopicIsReplicatedThreeTimesWithTwoInSync(stage.bootstrap);
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
