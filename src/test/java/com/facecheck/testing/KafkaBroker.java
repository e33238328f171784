package com.facecheck.testing;

import com.facecheck.local.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.kafka.common.utils.internals.Exit;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The one real broker of the integration tests, started once per test JVM: a Testcontainers Kafka where a
 * Docker engine is available, otherwise the in-JVM KRaft broker the demo uses. {@code -Dfacecheck.kafka=
 * embedded|container} forces one. Tests share it, so each uses its own topics and application id.
 */
public final class KafkaBroker {

    private static final String KAFKA_IMAGE = "apache/kafka:4.1.0";
    private static volatile String bootstrapServers;

    private KafkaBroker() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = useContainer() ? startContainer() : startEmbedded();
        }
        return bootstrapServers;
    }

    private static boolean useContainer() {
        String forced = System.getProperty("facecheck.kafka", "").toLowerCase(Locale.ROOT);
        if (!forced.isEmpty()) {
            return forced.equals("container");
        }
        boolean dockerConfigured = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        return dockerConfigured && org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    }

    private static String startContainer() {
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "kafka-container-stop"));
        return kafka.getBootstrapServers();
    }

    private static String startEmbedded() {
        // A broker's fatal path calls exit/halt; in a test JVM that would kill the run with no report.
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("the embedded broker asked to exit(" + code + "): " + message);
        });
        Exit.setHaltProcedure((code, message) -> {
            throw new IllegalStateException("the embedded broker asked to halt(" + code + "): " + message);
        });
        EmbeddedKafka kafka = EmbeddedKafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-stop"));
        return kafka.bootstrapServers();
    }
}
