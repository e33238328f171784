package com.facecheck.bench;

import com.facecheck.app.BuildVersion;
import com.facecheck.app.ConfigLoader;
import com.facecheck.app.Worker;
import com.facecheck.app.WorkerConfig;
import com.facecheck.contract.AuditRecord;
import com.facecheck.contract.RequestParser;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.HttpProvider;
import com.facecheck.topology.FailedRecords;
import com.facecheck.topology.Results;
import com.facecheck.topology.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The usual alternative to the worker, a benchmark contender: a Kafka Streams app whose processor checks each
 * request as the worker does, calls the same {@link HttpProvider} and waits for the answer inside {@code process()},
 * then writes the result to the topic of its code, and its audit record. One call at a time per stream thread; same
 * processing guarantee, stream threads and commit interval as the worker. No retries, caps or deduplication.
 */
public final class SynchronousProcessor implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final HttpProvider provider;
    private final KafkaStreams streams;

    private SynchronousProcessor(Vertx vertx, HttpProvider provider, KafkaStreams streams) {
        this.vertx = vertx;
        this.provider = provider;
        this.streams = streams;
    }

    /** Runs on the worker's configuration, read as {@code run} reads it, until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        WorkerConfig config = ConfigLoader.load(new ConfigLoader.Sources(null, System.getenv(), List.of()))
                .workerConfig();
        SynchronousProcessor processor = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(processor::close));
        new CountDownLatch(1).await();
    }

    /** Starts on the topics, provider and Streams settings of {@code config}; returns once it is running. */
    static SynchronousProcessor start(WorkerConfig config) throws InterruptedException {
        Vertx vertx = Vertx.vertx();
        HttpProvider provider = new HttpProvider(vertx, config.provider().url(), config.secrets().credentials(),
                config.provider().callTimeout(), config.provider().maxInFlight());
        Topics topics = new Topics(config.topics(), new RequestParser(config.secrets().hasher()),
                config.secrets().cipher());
        Clock clock = Clock.systemUTC();
        String version = BuildVersion.current();
        DirectCheck check = new DirectCheck(config, provider, clock);
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, VerificationResult> results = builder.stream(topics.requests().name(),
                        Consumed.with(topics.requests().keySerde(), topics.requests().valueSerde()))
                .process(() -> new CallAndWait(check));
        results.to((key, result, context) -> topics.names().resultTopic(result.outcomeEnum()),
                Produced.with(Serdes.String(), topics.resultSerde()));
        // Each result with its audit record, as the worker writes them: the same writes per result.
        var audit = topics.audit();
        results.mapValues(result -> AuditRecord.of(result, version, 0))
                .to(audit.name(), Produced.with(audit.keySerde(), audit.valueSerde()));
        Properties properties = Worker.streamsProperties(config);
        properties.put(FailedRecords.SETUP_CONFIG, new FailedRecords.Setup(topics, new SimpleMeterRegistry(), clock,
                new Results(config.results().personFields(), config.secrets().hasher()), version));
        KafkaStreams streams = new KafkaStreams(builder.build(), properties);
        SynchronousProcessor processor = new SynchronousProcessor(vertx, provider, streams);
        streams.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
                processor.close();
                throw new IllegalStateException("the synchronous processor did not start (state " + streams.state() + ")");
            }
            Thread.sleep(50);
        }
        return processor;
    }

    /** Checks, calls and waits: the stream thread does nothing else until the provider answers. */
    private static final class CallAndWait implements Processor<byte[], VerificationRequest, String, VerificationResult> {

        private final DirectCheck check;
        private ProcessorContext<String, VerificationResult> context;

        CallAndWait(DirectCheck check) {
            this.check = check;
        }

        @Override
        public void init(ProcessorContext<String, VerificationResult> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], VerificationRequest> record) {
            VerificationRequest request = record.value();
            VerificationResult result = check.check(request, Instant.ofEpochMilli(record.timestamp()))
                    .toCompletableFuture().join();
            context.forward(record.withKey(request.requestId()).withValue(result));
        }
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        provider.close();
        vertx.close();
    }
}
