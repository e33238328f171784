package com.facecheck.bench;

import com.facecheck.app.BuildVersion;
import com.facecheck.app.Worker;
import com.facecheck.app.WorkerConfig;
import com.facecheck.contract.AuditRecord;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.PersonFields;
import com.facecheck.contract.RequestParser;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.identity.PhotoCheck;
import com.facecheck.identity.RequestValidation;
import com.facecheck.provider.Billing;
import com.facecheck.provider.HttpProvider;
import com.facecheck.provider.ProviderAnswer;
import com.facecheck.topology.FailedRecords;
import com.facecheck.topology.Results;
import com.facecheck.topology.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
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
 * The usual alternative to the worker, for {@link ThroughputComparison} only: a Kafka Streams app whose processor
 * checks each request as the worker does, calls the same {@link HttpProvider} and waits for the answer inside
 * {@code process()}, then writes the result to the topic of its code, and its audit record. One call at a time per
 * stream thread; same processing guarantee, stream threads and commit interval as the worker. No retries, caps or
 * deduplication: against a well-behaved provider and distinct people they would change nothing but the cost.
 */
final class SynchronousBaseline implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final HttpProvider provider;
    private final KafkaStreams streams;

    private SynchronousBaseline(Vertx vertx, HttpProvider provider, KafkaStreams streams) {
        this.vertx = vertx;
        this.provider = provider;
        this.streams = streams;
    }

    /** Starts on the topics, provider and Streams settings of {@code config}; returns once it is running. */
    static SynchronousBaseline start(WorkerConfig config) throws InterruptedException {
        Vertx vertx = Vertx.vertx();
        HttpProvider provider = new HttpProvider(vertx, config.provider().url(), config.secrets().credentials(),
                config.provider().callTimeout(), config.provider().maxInFlight());
        KeyedHasher keys = config.secrets().hasher();
        Topics topics = new Topics(config.topics(), new RequestParser(keys), config.secrets().cipher());
        Clock clock = Clock.systemUTC();
        String version = BuildVersion.current();
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, VerificationResult> results = builder.stream(topics.requests().name(),
                        Consumed.with(topics.requests().keySerde(), topics.requests().valueSerde()))
                .process(() -> new CallAndWait(new RequestValidation(new PhotoCheck(), clock,
                        config.requests().requireConsent()), provider, keys, config.results().personFields(), clock));
        results.to((key, result, context) -> topics.names().resultTopic(result.outcomeEnum()),
                Produced.with(Serdes.String(), topics.resultSerde()));
        // Each result with its audit record, as the worker writes them: the same writes per result.
        var audit = topics.audit();
        results.mapValues(result -> AuditRecord.of(result, version, 0))
                .to(audit.name(), Produced.with(audit.keySerde(), audit.valueSerde()));
        Properties properties = Worker.streamsProperties(config);
        properties.put(FailedRecords.SETUP_CONFIG, new FailedRecords.Setup(topics, new SimpleMeterRegistry(), clock,
                new Results(config.results().personFields(), keys), version));
        KafkaStreams streams = new KafkaStreams(builder.build(), properties);
        SynchronousBaseline baseline = new SynchronousBaseline(vertx, provider, streams);
        streams.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
                baseline.close();
                throw new IllegalStateException("the synchronous baseline did not start (state " + streams.state() + ")");
            }
            Thread.sleep(50);
        }
        return baseline;
    }

    /** Validates, calls and waits: the stream thread does nothing else until the provider answers. */
    private static final class CallAndWait implements Processor<byte[], VerificationRequest, String, VerificationResult> {

        private final RequestValidation validation;
        private final HttpProvider provider;
        private final KeyedHasher keys;
        private final PersonFields fields;
        private final Clock clock;
        private ProcessorContext<String, VerificationResult> context;

        CallAndWait(RequestValidation validation, HttpProvider provider, KeyedHasher keys, PersonFields fields,
                    Clock clock) {
            this.validation = validation;
            this.provider = provider;
            this.keys = keys;
            this.fields = fields;
            this.clock = clock;
        }

        @Override
        public void init(ProcessorContext<String, VerificationResult> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], VerificationRequest> record) {
            VerificationRequest request = record.value();
            Instant received = Instant.ofEpochMilli(record.timestamp());
            VerificationResult result;
            if (validation.validate(request) instanceof RequestValidation.Accepted accepted) {
                ProviderAnswer answer = provider.verify(accepted.request()).toCompletableFuture().join();
                result = fromAnswer(accepted.request(), answer, received);
            } else {
                result = result(request, Outcome.INVALID_REQUEST, null, "rejected before the call", Billing.UNBILLED,
                        VerificationResult.DECIDED_LOCALLY, null, received);
            }
            context.forward(record.withKey(request.requestId()).withValue(result));
        }

        private VerificationResult fromAnswer(VerificationRequest request, ProviderAnswer answer, Instant received) {
            String by = VerificationResult.DECIDED_BY_PROVIDER;
            if (answer instanceof ProviderAnswer.Verdict v) {
                return result(request, v.outcome(), v.match(), v.message(), v.billing(), by, answer, received);
            }
            Outcome outcome = answer instanceof ProviderAnswer.Refused ? Outcome.INVALID_REQUEST
                    : answer instanceof ProviderAnswer.Throttled ? Outcome.THROTTLED : Outcome.FAILED;
            return result(request, outcome, null, outcome.providerMessage(), answer.billing(), by, answer, received);
        }

        /** The person as the worker's results show them, personId included: the same work per result. */
        private VerificationResult result(VerificationRequest request, Outcome outcome, Boolean match, String message,
                                          Billing billing, String decidedBy, ProviderAnswer answer, Instant received) {
            String personId = answer == null ? null : PersonFields.personId(keys, request.idNumber());
            return new VerificationResult(request.requestId(), outcome.code(), outcome.outcomeName(), match, message,
                    null, personId, fields.name(request.name()), fields.idNumber(request.idNumber()), null, null, null,
                    billing.label(), answer == null ? 0 : 1, decidedBy, answer == null ? null : answer.providerRequestId(),
                    request.consentId(), request.source(), received, clock.instant(), request.metadata());
        }
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        provider.close();
        vertx.close();
    }
}
