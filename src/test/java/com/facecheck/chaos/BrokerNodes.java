package com.facecheck.chaos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * A KRaft cluster of {@code n} nodes (each broker and controller), every node an OS process of its own on this
 * JVM's class path, so that a scenario can kill one (SIGKILL), freeze it (SIGSTOP) and thaw it (SIGCONT), and start
 * it again on the same ports and data. Replication as production would set it for the cluster's size: every topic,
 * internal ones included, has {@code n} replicas and needs {@code min(2, n)} in sync to take a write.
 */
final class BrokerNodes implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final int[] ports;
    private final Process[] processes;

    private BrokerNodes(Path dir, int[] ports) {
        this.dir = dir;
        this.ports = ports;
        this.processes = new Process[ports.length];
    }

    /** Formats and starts {@code n} nodes with their data under {@code dir}; returns once every one listens. */
    static BrokerNodes start(Path dir, int n) throws Exception {
        int[] all = freePorts(2 * n);
        int[] ports = new int[n];
        System.arraycopy(all, 0, ports, 0, n);
        BrokerNodes nodes = new BrokerNodes(dir, ports);
        // A test JVM that dies (a timeout, a kill) must not leave brokers running on the machine.
        Runtime.getRuntime().addShutdownHook(new Thread(nodes::close, "chaos-brokers-stop"));
        StringJoiner voters = new StringJoiner(",");
        for (int i = 0; i < n; i++) {
            voters.add((i + 1) + "@localhost:" + all[n + i]);
        }
        String clusterId = Uuid.randomUuid().toString();
        for (int i = 0; i < n; i++) {
            Path props = nodes.propertiesFile(i);
            Files.createDirectories(props.getParent());
            try (var out = Files.newBufferedWriter(props, StandardCharsets.UTF_8)) {
                properties(dir.resolve("node-" + (i + 1)), i + 1, n, ports[i], all[n + i], voters.toString())
                        .store(out, "chaos broker node " + (i + 1));
            }
            format(clusterId, props);
        }
        for (int i = 0; i < n; i++) {
            nodes.launch(i);
        }
        for (int i = 0; i < n; i++) {
            nodes.awaitListening(i);
        }
        return nodes;
    }

    String bootstrapServers() {
        StringJoiner servers = new StringJoiner(",");
        for (int port : ports) {
            servers.add("localhost:" + port);
        }
        return servers.toString();
    }

    int size() {
        return ports.length;
    }

    /** SIGKILL: the node dies with whatever it had not written, as a lost machine does. */
    void kill(int node) throws InterruptedException {
        processes[node].destroyForcibly();
        if (!processes[node].waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("broker node " + (node + 1) + " did not die of SIGKILL");
        }
    }

    /** SIGSTOP: the node stops dead, its connections open and silent, as in a long GC pause or a frozen VM. */
    void freeze(int node) throws Exception {
        signal(node, "STOP");
    }

    /** SIGCONT: the frozen node runs on, finding every session and transaction timer long expired. */
    void thaw(int node) throws Exception {
        signal(node, "CONT");
    }

    /** Starts a stopped node again on its ports and data; returns once it listens. */
    void restart(int node) throws Exception {
        if (processes[node].isAlive()) {
            throw new IllegalStateException("broker node " + (node + 1) + " is still running");
        }
        launch(node);
        awaitListening(node);
    }

    /** The node that leads the most partitions, internal topics included. */
    int leaderOfMostPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            var listing = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                    .names().get();
            Map<Integer, Integer> led = new HashMap<>();
            for (TopicDescription topic : admin.describeTopics(listing).allTopicNames().get().values()) {
                for (TopicPartitionInfo partition : topic.partitions()) {
                    if (partition.leader() != null) {
                        led.merge(partition.leader().id(), 1, Integer::sum);
                    }
                }
            }
            return led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey() - 1;
        }
    }

    /** The node's log, for a failure message. */
    String log(int node) {
        try {
            Path log = dir.resolve("node-" + (node + 1) + ".log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch(int node) throws IOException {
        processes[node] = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"), "kafka.Kafka",
                propertiesFile(node).toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node-" + (node + 1) + ".log").toFile()))
                .start();
    }

    private void awaitListening(int node) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!processes[node].isAlive()) {
                throw new IllegalStateException("broker node " + (node + 1) + " exited with "
                        + processes[node].exitValue() + ":\n" + log(node));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", ports[node]), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("broker node " + (node + 1) + " did not listen within " + START_TIMEOUT);
    }

    private void signal(int node, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(processes[node].pid())).start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " failed for broker node " + (node + 1));
        }
    }

    private Path propertiesFile(int node) {
        return dir.resolve("node-" + (node + 1)).resolve("server.properties");
    }

    private static Properties properties(Path nodeDir, int id, int n, int port, int controllerPort, String voters) {
        String replicas = Integer.toString(n);
        String inSync = Integer.toString(Math.min(2, n));
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(id));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", nodeDir.resolve("logs").toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", inSync);
        p.put("offsets.topic.replication.factor", replicas);
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", inSync);
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", replicas);
        p.put("share.coordinator.state.topic.min.isr", inSync);
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    private static void format(String clusterId, Path props) {
        ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
        int formatted = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", props.toString()},
                new PrintStream(formatLog, true, StandardCharsets.UTF_8));
        if (formatted != 0) {
            throw new IllegalStateException("formatting " + props + " failed: "
                    + formatLog.toString(StandardCharsets.UTF_8).strip());
        }
    }

    /** Free ports, all held open while picked so that no two are the same. */
    private static int[] freePorts(int count) throws IOException {
        InetAddress loopback = InetAddress.getByName("localhost");
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 50, loopback);
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
