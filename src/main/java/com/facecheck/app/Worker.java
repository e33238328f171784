package com.facecheck.app;

import com.facecheck.ops.TopicSetup;
import com.facecheck.contract.RequestParser;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.identity.ChinaCalendar;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.provider.CallPermits;
import com.facecheck.provider.HttpProvider;
import com.facecheck.provider.ProviderCircuit;
import com.facecheck.topology.CallGauges;
import com.facecheck.topology.CallSetup;
import com.facecheck.topology.FacecheckTopology;
import com.facecheck.topology.FailedRecords;
import com.facecheck.topology.Results;
import com.facecheck.topology.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running worker: the Kafka Streams topology with its provider client. */
public final class Worker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    /** shutdown.drain-timeout's default: far beyond a call's timeout, inside a pod's usual grace period. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** Kafka's default {@code message.max.bytes}, for a request topic whose own setting cannot be read. */
    private static final int DEFAULT_MAX_RECORD_BYTES = 1_048_588;

    private final Vertx vertx;
    private final HttpProvider provider;
    private final KafkaStreams streams;
    private final PrometheusMeterRegistry meters;
    private final WorkerMeters workerMeters;
    private final CallPermits.InFlight calls;
    private final Duration drainTimeout;

    private Worker(Vertx vertx, HttpProvider provider, KafkaStreams streams, PrometheusMeterRegistry meters,
                   WorkerMeters workerMeters, CallPermits.InFlight calls, Duration drainTimeout) {
        this.vertx = vertx;
        this.provider = provider;
        this.streams = streams;
        this.meters = meters;
        this.workerMeters = workerMeters;
        this.calls = calls;
        this.drainTimeout = drainTimeout;
    }

    /**
     * Checks the configuration and that every topic exists, starts the topology and returns once it is running.
     *
     * @throws ConfigException listing every problem of the configuration
     * @throws IllegalStateException naming missing topics, or when the worker does not reach RUNNING
     */
    public static Worker start(WorkerConfig config) {
        config.requireValid();
        return startValid(config, config.secrets().cipher());
    }

    /**
     * Starts as {@link #start(WorkerConfig)} does, sealing with {@code cipher} instead of the keyset's: only for
     * benchmarks that measure what the cryptography costs, which is why no configuration reaches it.
     */
    static Worker start(WorkerConfig config, FieldCipher cipher) {
        config.requireValid();
        return startValid(config, cipher);
    }

    private static Worker startValid(WorkerConfig config, FieldCipher cipher) {
        RequestTopic requestTopic = requireTopics(config);
        int partitions = requestTopic.partitions();
        Vertx vertx = Vertx.vertx();
        WorkerConfig.Provider calling = config.provider();
        HttpProvider provider = new HttpProvider(vertx, calling.url(), config.secrets().credentials(),
                calling.callTimeout(), calling.maxInFlight());
        KeyedHasher hasher = config.secrets().hasher();
        Topics topics = new Topics(config.topics(), new RequestParser(hasher), cipher);
        CallPermits.InFlight inFlight = new CallPermits.InFlight(calling.maxInFlight());
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CallGauges gauges = new CallGauges(ChinaCalendar.clock());
        gauges.register(meters, config.budget().dailyCalls() > 0);
        var calls = new CallSetup(provider, () -> CallPermits.forTask(calling.callsPerSecond(), partitions, inFlight),
                new ProviderCircuit(calling.probeInterval(), meters), calling.retry(), calling.onUnavailable(),
                new CallSetup.Budget(config.budget().dailyCalls(), partitions), meters, gauges);
        Properties properties = streamsProperties(config);
        properties.putIfAbsent(StreamsConfig.BUFFERED_RECORDS_PER_PARTITION_CONFIG,
                ReadAhead.recordsPerPartition(partitions, requestTopic.maxRecordBytes()));
        Results results = new Results(config.results().personFields(), hasher);
        String version = BuildVersion.current();
        properties.put(FailedRecords.SETUP_CONFIG,
                new FailedRecords.Setup(topics, meters, ChinaCalendar.clock(), results, version));
        var topology = FacecheckTopology.build(topics, config.admission(hasher), results, calls,
                ChinaCalendar.clock(), FacecheckTopology.DEFAULT_DRAIN_INTERVAL, version,
                new TopologyConfig(new StreamsConfig(properties)));
        KafkaStreams streams = new KafkaStreams(topology, properties);
        Counter rebalances = Counter.builder("facecheck.streams.rebalances")
                .description("times the running worker went back to rebalancing: a task moved, an instance came or"
                        + " went, or a producer was fenced").register(meters);
        Counter threadsReplaced = Counter.builder("facecheck.streams.threads.replaced")
                .description("stream threads that died and were replaced").register(meters);
        streams.setStateListener((now, before) -> {
            if (before == KafkaStreams.State.RUNNING && now == KafkaStreams.State.REBALANCING) {
                rebalances.increment();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            threadsReplaced.increment();
            LOG.error("a stream thread died ({}); it is replaced and its tasks resume from the last commit",
                    e.getClass().getSimpleName(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        // Kafka Streams' own default when streams.state-dir is not set: the disk metrics watch where state really is.
        Path stateDir = Path.of(new StreamsConfig(properties).getString(StreamsConfig.STATE_DIR_CONFIG));
        WorkerMeters workerMeters = new WorkerMeters(meters, calling.pricePerCall(), inFlight, stateDir);
        Worker worker = new Worker(vertx, provider, streams, meters, workerMeters, inFlight,
                config.shutdown().drainTimeout());
        try {
            streams.start();
            worker.awaitRunning(config.streams().startTimeout());
            workerMeters.bindStreams(streams);
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
        LOG.info("worker {} running: {} → results", config.kafka().applicationId(), config.topics().requests());
        return worker;
    }

    /** The ids of the stream tasks this worker runs as active tasks now (e.g. {@code 1_3}). */
    Set<String> activeTasks() {
        Set<String> tasks = new TreeSet<>();
        streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks()
                .forEach(task -> tasks.add(task.taskId().toString())));
        return tasks;
    }

    /** Kafka Streams' state: the worker serves while it is RUNNING. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Every meter of the worker, for the metrics endpoint. */
    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** The sum of the worker's counters called {@code name}, over all their tags; 0 before the first count. */
    public double count(String name) {
        return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The sum of the worker's counters called {@code name} whose tag {@code tag} is {@code value}. */
    public double count(String name, String tag, String value) {
        return meters.find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Joining the group and restoring the stores both count: a large restore needs a larger timeout. */
    private void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the worker did not start (state " + streams.state()
                        + "); see the log above for the cause");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the worker did not reach RUNNING within " + timeout.toMillis()
                        + " ms (state " + streams.state() + "): it may still be restoring its stores. Raise"
                        + " streams.start-timeout, or give it standby replicas; see the log for the cause");
            }
            sleep(50);
        }
    }

    /** The Kafka Streams settings the worker runs with (exactly-once, threads, commit interval, poison handling). */
    public static Properties streamsProperties(WorkerConfig config) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.kafka().applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        if (config.streams().stateDir() != null) {
            p.put(StreamsConfig.STATE_DIR_CONFIG, config.streams().stateDir().toString());
        }
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streams().threads());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.streams().commitInterval().toMillis());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.streams().standbyReplicas());
        // Waiting calls start from the stream thread's loop; a short poll keeps it turning while input is idle,
        // so a task's rate share is used as it refills instead of being capped at the bucket's small burst.
        p.put(StreamsConfig.POLL_MS_CONFIG, 10);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // One record that cannot be read or processed costs that record, never the stream thread (FailedRecords).
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, FailedRecords.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, FailedRecords.class);
        p.putAll(config.kafka().properties());
        return p;
    }

    /** What the worker reads from the request topic's description. */
    private record RequestTopic(int partitions, int maxRecordBytes) {
    }

    /** Fails naming every missing topic; returns the request topic's partition count and largest record. */
    private static RequestTopic requireTopics(WorkerConfig config) {
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        adminProps.putAll(config.kafka().properties());
        try (Admin admin = Admin.create(adminProps)) {
            List<String> missing = TopicSetup.missing(admin, config.topics());
            if (!missing.isEmpty()) {
                throw new IllegalStateException("these topics do not exist: " + String.join(", ", missing)
                        + ". Create them before starting the worker (the input topic's partition count sets the"
                        + " worker's parallelism)");
            }
            String input = config.topics().requests();
            List<String> counted = new ArrayList<>(List.of(input));
            counted.addAll(config.topics().exchange());
            Map<String, TopicDescription> described = admin.describeTopics(counted).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            int partitions = described.get(input).partitions().size();
            for (String exchange : config.topics().exchange()) {
                int count = described.get(exchange).partitions().size();
                if (count != partitions) {
                    throw new IllegalStateException("topic " + exchange + " has " + count + " partitions but the"
                            + " request topic " + input + " has " + partitions + "; the name-exchange topics need"
                            + " exactly as many. Recreate " + exchange + " with " + partitions + " partitions");
                }
            }
            return new RequestTopic(partitions, maxRecordBytes(admin, input));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + config.kafka().bootstrapServers()
                    + " to check the topics: " + e.getClass().getSimpleName()
                    + ". Check the bootstrap servers and that the brokers are up");
        }
    }

    /**
     * The topic's {@code max.message.bytes}; Kafka's default when the worker may not read the topic's settings, which
     * only its read-ahead depends on.
     */
    private static int maxRecordBytes(Admin admin, String topic) throws InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config settings = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            var maxRecord = settings == null ? null : settings.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return maxRecord == null || maxRecord.value() == null ? DEFAULT_MAX_RECORD_BYTES
                    : Integer.parseInt(maxRecord.value().strip());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | NumberFormatException e) {
            LOG.warn("the settings of topic {} cannot be read ({}); the worker reads ahead as if its records were at"
                    + " most {} bytes", topic, e.getClass().getSimpleName(), DEFAULT_MAX_RECORD_BYTES);
            return DEFAULT_MAX_RECORD_BYTES;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the worker", e);
        }
    }

    /** Stops as {@link #close(Duration)} does, waiting up to {@link #DEFAULT_DRAIN_TIMEOUT} for calls in flight. */
    @Override
    public void close() {
        close(drainTimeout);
    }

    /**
     * Hands the tasks over without a call to repeat: no call starts any more, the calls in flight are waited for
     * (up to {@code drainTimeout}) until their answers are taken and their results forwarded, and Kafka Streams
     * then closes, committing those results. Only a call still unanswered at the timeout is made again by the
     * tasks' next owner.
     */
    public void close(Duration drainTimeout) {
        calls.stopStarting();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (calls.unfinished() > 0 && System.nanoTime() < deadline
                && streams.state() == KafkaStreams.State.RUNNING) {
            sleep(10);
        }
        if (calls.unfinished() > 0) {
            LOG.warn("stopping with {} calls unanswered after {} s: the tasks' next owner calls for them again",
                    calls.unfinished(), drainTimeout.toSeconds());
        } else {
            LOG.info("every call started was answered and its result written; stopping");
        }
        streams.close(Duration.ofSeconds(30));
        workerMeters.close();
        provider.close();
        vertx.close();
    }
}
