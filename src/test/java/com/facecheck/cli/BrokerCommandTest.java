package com.facecheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.testing.CliProcess;
import com.facecheck.testing.CliRun;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerCommandTest {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration STOP = Duration.ofSeconds(60);
    private static final Pattern READY =
            Pattern.compile("Kafka broker ready at (\\S+) \\(data in .*, (new|kept from the last run)\\)");

    @TempDir
    Path dir;

    @Test
    void runsAsAProcessThatProducersWriteToKeepsItsDataAndStopsWithExitZeroOnSigterm() throws Exception {
        Path data = dir.resolve("kafka");
        int port = freePort();
        String bootstrap;
        try (CliProcess broker = CliProcess.start(dir, "first", "broker", "--port", Integer.toString(port),
                "--data-dir", data.toString())) {
            var ready = broker.await(READY, START);
            bootstrap = ready.group(1);
            assertThat(bootstrap).isEqualTo("localhost:" + port);
            assertThat(ready.group(2)).isEqualTo("new");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrap, ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "written before the restart")).get();
            }

            assertThat(broker.terminate(STOP)).as(broker.err()).isZero();
            assertThat(broker.out()).contains("Broker stopped.");
        }

        try (CliProcess broker = CliProcess.start(dir, "second", "broker", "--port", Integer.toString(port),
                "--data-dir", data.toString())) {
            assertThat(broker.await(READY, START).group(2)).isEqualTo("kept from the last run");
            assertThat(readAll(bootstrap, "kept")).containsExactly("written before the restart");
            assertThat(broker.terminate(STOP)).as(broker.err()).isZero();
        }
    }

    @Test
    void aTakenPortIsOneLineAndExit2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("localhost"))) {
            CliRun run = CliRun.of("broker", "--port", Integer.toString(taken.getLocalPort()), "--data-dir",
                    dir.resolve("kafka").toString());

            assertThat(run.exitCode()).isEqualTo(FacecheckCli.USAGE);
            assertThat(run.err().strip()).doesNotContain("\n")
                    .isEqualTo("facecheck broker: --port " + taken.getLocalPort() + " is taken: something listens there"
                            + " already (a broker started before?). Stop it, or give another --port");
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void aDataDirThatIsAFileOrHoldsOtherThingsIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "mine");
        CliRun onFile = CliRun.of("broker", "--port", "0", "--data-dir", file.toString());
        assertThat(onFile.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(onFile.err().strip()).doesNotContain("\n").contains("--data-dir " + file + " is a file");

        CliRun onFolder = CliRun.of("broker", "--port", "0", "--data-dir", dir.toString());
        assertThat(onFolder.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(onFolder.err().strip()).doesNotContain("\n").contains("holds other files and no broker's data");
        assertThat(dir.resolve("logs")).as("nothing written into someone else's folder").doesNotExist();
    }

    private static List<String> readAll(String bootstrap, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("localhost"))) {
            return socket.getLocalPort();
        }
    }
}
