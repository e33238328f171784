package com.facecheck.topology;

import com.facecheck.contract.Outcome;
import com.facecheck.contract.RequestParser;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The typed registry of topics: each one's name with the serdes of its keys and values. */
public final class Topics {

    /** One topic and how its records are read and written. */
    public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    }

    private final TopicNames names;
    private final Topic<byte[], VerificationRequest> requests;
    private final Serde<VerificationResult> resultSerde = new JsonSerde<>(VerificationResult.class);
    private final Topic<String, VerificationRequest> retryable;
    private final Topic<byte[], byte[]> poison;

    public Topics(TopicNames names, RequestParser parser) {
        this.names = names;
        Serde<VerificationRequest> requestSerde = Serdes.serdeFrom(
                new JsonSerde<>(VerificationRequest.class).serializer(), (topic, bytes) -> parser.parse(bytes));
        // Producers key requests however they like; the key is not read.
        this.requests = new Topic<>(names.requests(), Serdes.ByteArray(), requestSerde);
        this.retryable = new Topic<>(names.retryableDeadLetters(), Serdes.String(), requestSerde);
        this.poison = new Topic<>(names.poisonDeadLetters(), Serdes.ByteArray(), Serdes.ByteArray());
    }

    public TopicNames names() {
        return names;
    }

    public Topic<byte[], VerificationRequest> requests() {
        return requests;
    }

    public Topic<String, VerificationResult> result(Outcome outcome) {
        return new Topic<>(names.resultTopic(outcome), Serdes.String(), resultSerde);
    }

    public Serde<VerificationResult> resultSerde() {
        return resultSerde;
    }

    public Topic<String, VerificationRequest> retryable() {
        return retryable;
    }

    public Topic<byte[], byte[]> poison() {
        return poison;
    }
}
