package com.facecheck.bench.flink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The Flink Async I/O contender: Kafka requests → one provider call each (unordered async wait, capacity calls in
 * flight) → an exactly-once Kafka sink writing each result to the topic of its code. Runs a local mini-cluster in
 * this JVM.
 */
public final class FlinkContender {

    private FlinkContender() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args, System.getenv());
        } catch (Options.Problem e) {
            System.err.println("facecheck-bench-flink: " + e.getMessage() + " — " + Options.USAGE);
            System.exit(2);
            return;
        }
        HeapStats.start(options.statsFile);
        // One temp folder for everything Flink writes (its 21 MB RPC jar, uploads, checkpoints), gone on SIGTERM.
        Path scratch = Files.createTempDirectory("facecheck-bench-flink-");
        Path checkpoints = Files.createDirectories(scratch.resolve("checkpoints"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(scratch), "delete-scratch"));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(options.parallelism,
                configuration(options, scratch, checkpoints));
        env.enableCheckpointing(options.checkpointIntervalMs, CheckpointingMode.EXACTLY_ONCE);
        env.getCheckpointConfig().setTolerableCheckpointFailureNumber(Integer.MAX_VALUE);

        KafkaSource<Request> source = KafkaSource.<Request>builder()
                .setBootstrapServers(options.bootstrap)
                .setTopics(options.requests)
                .setGroupId(options.group)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RequestDeserializer())
                .setProperty("client.id.prefix", options.group)
                .build();
        DataStream<Request> requests = env.fromSource(source, WatermarkStrategy.noWatermarks(), "requests");

        long asyncTimeoutMs = options.callTimeoutMs + Math.max(1_000, options.callTimeoutMs / 10);
        DataStream<Result> results = AsyncDataStream.unorderedWait(requests,
                new FacecheckCall(options.providerUrl, options.appCode, options.capacity, options.callTimeoutMs),
                asyncTimeoutMs, TimeUnit.MILLISECONDS, options.capacity).name("facecheck-call");

        KafkaSink<Result> sink = KafkaSink.<Result>builder()
                .setBootstrapServers(options.bootstrap)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(options.transactionalIdPrefix)
                .setProperty("transaction.timeout.ms", "60000")
                .setRecordSerializer(new ResultSerializer(options.resultTopics))
                .build();
        results.sinkTo(sink).name("results");

        env.execute("facecheck-bench-flink");
    }

    /** A small mini-cluster: slots = parallelism, little network and managed memory, REST on loopback only. */
    private static Configuration configuration(Options options, Path scratch, Path checkpoints) {
        Configuration conf = new Configuration();
        conf.setString("io.tmp.dirs", scratch.toString());
        conf.setString("web.tmpdir", scratch.toString());
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, options.parallelism);
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("16m"));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("16m"));
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("16m"));
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        // The async operator checkpoints the requests in flight (photo included): up to capacity x ~40 KB, more
        // than the in-memory storage's 5 MB limit, so checkpoints go to files in a temp directory.
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 1);
        conf.setString("execution.checkpointing.min-pause", "0 ms");
        conf.setString("pipeline.object-reuse", "true");
        return conf;
    }

    /** Deletes the folder, trying again for a while: Flink's own shutdown may still be writing into it. */
    private static void deleteTree(Path root) {
        for (int attempt = 0; attempt < 20 && Files.exists(root); attempt++) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | java.io.UncheckedIOException e) {
                // files vanished under the walk: look again
            }
            if (Files.exists(root)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
