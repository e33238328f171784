package com.facecheck.topology;

import com.facecheck.contract.VerificationResult;
import com.facecheck.identity.PhotoCheck;
import com.facecheck.identity.RequestValidation;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/** The story of a request, one step a line. */
public final class FacecheckTopology {

    static final String REQUESTS = "requests";
    static final String CHECK = "check-request";
    static final String CALL = "call-provider";
    static final String RESULTS = "results";
    static final String RETRYABLE = "retryable-dead-letters";

    /** How often answers that arrived between records are written out. */
    public static final Duration DEFAULT_DRAIN_INTERVAL = Duration.ofMillis(10);

    private FacecheckTopology() {
    }

    public static Topology build(Topics topics, CallSetup calls, Clock clock, Duration drainInterval) {
        var requests = topics.requests();
        var retryable = topics.retryable();
        TopicNameExtractor<String, VerificationResult> byOutcome =
                (key, result, context) -> topics.names().resultTopic(result.outcomeEnum());
        Serializer<VerificationResult> resultSerializer = topics.resultSerde().serializer();

        return new Topology()
                // 1. A request arrives; bytes that are not a request go to the poison dead letters (KIP-1034).
                .addSource(REQUESTS, requests.keySerde().deserializer(), requests.valueSerde().deserializer(),
                        requests.name())
                // 2. What is certainly invalid is answered here, with result 7 and no call; photos are made to fit.
                .addProcessor(CHECK, () -> new CheckRequest(new RequestValidation(new PhotoCheck(), clock), clock), REQUESTS)
                // 3. The provider is called asynchronously; calls in flight live in a store and survive crashes.
                .addProcessor(CALL, () -> new CallProvider(calls, clock, drainInterval), CHECK)
                .addStateStore(CallProvider.storeBuilder(), CALL)
                // 4. Every result goes to the topic of its code.
                .addSink(RESULTS, byOutcome, new StringSerializer(),
                        resultSerializer, CHECK, CALL)
                // 5. Failures that a replay could fix are also kept whole, with headers saying why.
                .addSink(RETRYABLE, retryable.name(), retryable.keySerde().serializer(),
                        retryable.valueSerde().serializer(), CALL);
    }
}
