package com.facecheck.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node KRaft broker (combined broker and controller) inside this JVM, on loopback, with its
 * data in a temporary folder that is deleted on close. The demo runs on it, and so do the integration tests
 * on machines without a container engine.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** How the broker is stopped: in this JVM, or as its own OS process. */
    @FunctionalInterface
    private interface Stopper {
        void stop() throws Exception;
    }

    private static final Duration PROCESS_START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final int port;
    private final Stopper stopper;

    private EmbeddedKafka(Path dataDir, int port, Stopper stopper) {
        this.dataDir = dataDir;
        this.port = port;
        this.stopper = stopper;
    }

    /** Formats storage and starts the broker in this JVM; returns once it accepts connections. */
    public static EmbeddedKafka start() {
        return start((propsFile, props, port) -> {
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            return () -> {
                server.shutdown();
                server.awaitShutdown();
            };
        });
    }

    /**
     * The same broker as its own OS process, on this JVM's class path: for benchmarks, whose clock must not
     * stall with the broker's garbage collection, and for tests that kill the broker. Closing sends SIGTERM,
     * which shuts it down cleanly.
     */
    public static EmbeddedKafka startProcess() {
        return start((propsFile, props, port) -> {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-cp", System.getProperty("java.class.path"), "kafka.Kafka", propsFile.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            awaitListening(process, port);
            return () -> {
                process.destroy();
                process.waitFor();
            };
        });
    }

    @FunctionalInterface
    private interface Launcher {
        Stopper launch(Path propsFile, Properties props, int port) throws Exception;
    }

    private static EmbeddedKafka start(Launcher launcher) {
        Path dataDir = TempDirs.create("facecheck-kafka-");
        try {
            int[] ports = freePorts();
            Properties props = brokerProperties(dataDir, ports[0], ports[1]);
            Path propsFile = dataDir.resolve("server.properties");
            try (var out = Files.newBufferedWriter(propsFile, StandardCharsets.UTF_8)) {
                props.store(out, "embedded facecheck broker");
            }
            ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
            int formatted = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                    propsFile.toString()}, new PrintStream(formatLog, true, StandardCharsets.UTF_8));
            if (formatted != 0) {
                throw new IllegalStateException("formatting the embedded broker's storage failed: "
                        + formatLog.toString(StandardCharsets.UTF_8).strip());
            }
            return new EmbeddedKafka(dataDir, ports[0], launcher.launch(propsFile, props, ports[0]));
        } catch (RuntimeException e) {
            TempDirs.delete(dataDir);
            throw e;
        } catch (Exception e) {
            TempDirs.delete(dataDir);
            throw new IllegalStateException("cannot start the embedded broker: " + e.getMessage(), e);
        }
    }

    private static void awaitListening(Process process, int port) throws InterruptedException {
        long deadline = System.nanoTime() + PROCESS_START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker process exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the broker process did not listen within " + PROCESS_START_TIMEOUT.toSeconds() + " s");
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public void close() {
        try {
            stopper.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("the embedded broker did not stop cleanly", e);
        } finally {
            TempDirs.delete(dataDir);
        }
    }

    private static Properties brokerProperties(Path dataDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        return p;
    }

    /** Two distinct free ports, both held open while picked so they cannot be the same one. */
    private static int[] freePorts() throws IOException {
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            a.setReuseAddress(true);
            b.setReuseAddress(true);
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }
}
