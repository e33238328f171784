package com.facecheck.app;

import com.facecheck.ops.TopicSetup;
import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Outcome;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.simulator.ProviderSimulator;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downstream team's Kafka Streams application joins a result topic with a table of its own keyed the same way
 * (by request id, written with the default partitioner). Kafka Streams joins co-partitioned topics partition by
 * partition, so a result on another partition than its key's would silently find no partner: every result must
 * be matched.
 */
class DownstreamJoinTest {

    private static final String APP_CODE = "join-test-appcode-5";
    private static final int PARTITIONS = 4;
    private static final int REQUESTS = 120;

    @TempDir
    Path dir;

    @Test
    void aDownstreamJoinOnTheRequestIdMatchesEveryResult() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("join.");
        TopicSetup.createMissing(bootstrap, names, PARTITIONS, (short) 1);
        String applications = "join.downstream.applications";
        String joined = "join.downstream.joined";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(applications, PARTITIONS, (short) 1),
                    new NewTopic(joined, PARTITIONS, (short) 1))).all().get();
        }
        // The downstream team's own records, one per request, keyed by request id.
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < REQUESTS; i++) {
                producer.send(new ProducerRecord<>(applications, "join-" + i, "application " + i));
            }
        }
        String image = TestImages.jpegBase64(320, 400);
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) { // people the registry does not know: every answer is code 5
            requests.add(Traffic.request("join-" + i, TestIds.name(70_000 + i), TestIds.idNumber(70_000 + i), image));
        }
        String resultTopic = names.resultTopic(Outcome.ID_NOT_FOUND);

        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities())) {
            simulator.behaviour(SimulatorBehaviour.wellBehaved());
            ProviderUrl url = ProviderUrl.of("http://127.0.0.1:" + simulator.start(0));
            WorkerConfig config = WorkerConfig.defaults(bootstrap, url, new Credentials.AppCodeAuth(AppCode.of(APP_CODE)),
                    "join-test-secret-0123456789", dir.resolve("worker")).with("kafka.application-id", "join-worker")
                    .with("topics", names);
            try (Worker worker = Worker.start(config);
                 KafkaStreams downstream = downstream(bootstrap, resultTopic, applications, joined, dir.resolve("downstream"))) {
                Traffic.send(bootstrap, names.requests(), requests, PARTITIONS);
                downstream.start();

                Map<String, String> matches = readJoined(bootstrap, joined, REQUESTS, Duration.ofSeconds(90));
                assertThat(matches).as("every result found its partner").hasSize(REQUESTS);
                assertThat(matches.get("join-7")).startsWith("application 7 + ").contains("\"error\":5");
            }
        } finally {
            vertx.close();
        }
    }

    /** What a downstream team writes: a table of results joined with a table of its own, on the same key. */
    private static KafkaStreams downstream(String bootstrap, String results, String applications, String joined,
                                           Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        var resultTable = builder.table(results, Consumed.with(Serdes.String(), Serdes.String()));
        builder.table(applications, Consumed.with(Serdes.String(), Serdes.String()))
                .join(resultTable, (application, result) -> application + " + " + result)
                .toStream().to(joined, Produced.with(Serdes.String(), Serdes.String()));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "join-downstream");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaStreams(builder.build(), p);
    }

    private static Map<String, String> readJoined(String bootstrap, String topic, int expected, Duration within) {
        Map<String, String> matches = new HashMap<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "join-reader");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + within.toNanos();
            while (matches.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> matches.put(r.key(), r.value()));
            }
        }
        return matches;
    }
}
