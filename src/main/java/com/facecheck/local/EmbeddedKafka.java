package com.facecheck.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node KRaft broker (combined broker and controller) on loopback. The demo and the integration
 * tests on machines without a container engine run it with its data in a temporary folder that is deleted on
 * close; {@code facecheck broker} runs it on a given port with its data in a folder that outlives it.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** How the broker is stopped: in this JVM, or as its own OS process. */
    @FunctionalInterface
    private interface Stopper {
        void stop() throws Exception;
    }

    /** The port asked for is in use: by another broker, or by anything else. */
    public static final class PortTakenException extends IllegalStateException {
        PortTakenException(int port) {
            super("port " + port + " is taken", null);
        }
    }

    /** The data folder is in use by a broker that is running. */
    public static final class DataDirInUseException extends IllegalStateException {
        DataDirInUseException(Path dataDir) {
            super("the data folder " + dataDir + " is in use by another broker", null);
        }
    }

    private static final Duration PROCESS_START_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOG_DIR = "logs";

    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private final Stopper stopper;

    private EmbeddedKafka(Path dataDir, boolean temporary, int port, Stopper stopper) {
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.port = port;
        this.stopper = stopper;
    }

    /** Formats storage in a temporary folder and starts the broker in this JVM; returns once it accepts connections. */
    public static EmbeddedKafka start() {
        return startTemporary(EmbeddedKafka::inThisJvm);
    }

    /**
     * Starts the broker in this JVM on {@code port} (0 picks a free one), with its data in {@code dataDir}: formatted
     * when it holds no broker's data yet, else reused, so that topics and records survive a restart. Closing stops
     * the broker and keeps the data. Returns once the broker accepts connections.
     *
     * @throws PortTakenException    when something listens on {@code port}
     * @throws DataDirInUseException when a broker running in another process holds {@code dataDir}
     */
    public static EmbeddedKafka startAt(int port, Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data folder " + dataDir, e);
        }
        if (inUse(dataDir)) {
            throw new DataDirInUseException(dataDir);
        }
        return start(dataDir, false, port, EmbeddedKafka::inThisJvm);
    }

    /**
     * Whether a running broker holds the lock on the log folder. A second broker on the same folder would not
     * stop at the lock before both had written the same metadata log, leaving it corrupt.
     */
    private static boolean inUse(Path dataDir) {
        Path lockFile = dataDir.resolve(LOG_DIR).resolve(".lock");
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the lock of the broker's data folder " + dataDir, e);
        }
    }

    /** Whether {@code dataDir} holds a broker's formatted storage, which {@link #startAt} reuses. */
    public static boolean holdsData(Path dataDir) {
        return Files.isRegularFile(dataDir.resolve(LOG_DIR).resolve("meta.properties"));
    }

    private static Stopper inThisJvm(Path propsFile, Properties props, int port) {
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        return () -> {
            server.shutdown();
            server.awaitShutdown();
        };
    }

    /**
     * The same broker as its own OS process, on this JVM's class path: for benchmarks, whose clock must not
     * stall with the broker's garbage collection, and for tests that kill the broker. Closing sends SIGTERM,
     * which shuts it down cleanly.
     */
    public static EmbeddedKafka startProcess() {
        return startTemporary((propsFile, props, port) -> {
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

    private static EmbeddedKafka startTemporary(Launcher launcher) {
        Path dataDir = TempDirs.create("facecheck-kafka-");
        try {
            return start(dataDir, true, 0, launcher);
        } catch (RuntimeException e) {
            TempDirs.delete(dataDir);
            throw e;
        }
    }

    private static EmbeddedKafka start(Path dataDir, boolean temporary, int requestedPort, Launcher launcher) {
        try {
            int[] ports = freePorts(requestedPort);
            Properties props = brokerProperties(dataDir, ports[0], ports[1]);
            Path propsFile = dataDir.resolve("server.properties");
            try (var out = Files.newBufferedWriter(propsFile, StandardCharsets.UTF_8)) {
                props.store(out, "embedded facecheck broker");
            }
            if (!holdsData(dataDir)) {
                format(propsFile);
            }
            return new EmbeddedKafka(dataDir, temporary, ports[0], launcher.launch(propsFile, props, ports[0]));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded broker: " + e.getMessage(), e);
        }
    }

    private static void format(Path propsFile) {
        ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
        int formatted = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                propsFile.toString()}, new PrintStream(formatLog, true, StandardCharsets.UTF_8));
        if (formatted != 0) {
            throw new IllegalStateException("formatting the embedded broker's storage failed: "
                    + formatLog.toString(StandardCharsets.UTF_8).strip());
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
            if (temporary) {
                TempDirs.delete(dataDir);
            }
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
        p.put("log.dirs", dataDir.resolve(LOG_DIR).toString());
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

    /**
     * The broker's port ({@code requested}, or a free one for 0) and a free one for the controller, all held open
     * while picked so that the two cannot be the same.
     */
    private static int[] freePorts(int requested) throws IOException {
        InetAddress loopback = InetAddress.getByName("localhost");
        ServerSocket broker;
        try {
            broker = new ServerSocket(requested, 50, loopback);
        } catch (BindException e) {
            throw new PortTakenException(requested);
        }
        try (broker; ServerSocket controller = new ServerSocket(0, 50, loopback)) {
            return new int[] {broker.getLocalPort(), controller.getLocalPort()};
        }
    }
}
