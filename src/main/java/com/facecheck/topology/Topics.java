package com.facecheck.topology;

import com.facecheck.contract.AuditRecord;
import com.facecheck.contract.RequestParser;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.SealedRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The typed registry of topics: each one's name with the serdes of its keys and values. Every record the worker
 * writes with a request in it (the by-person repartition topic, the pending stores' changelogs, the retryable dead
 * letters) seals the request's name, ID number, photo and photo URL with the worker's {@link FieldCipher}.
 */
public final class Topics {

    /** One topic and how its records are read and written. */
    public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    }

    private final TopicNames names;
    private final Topic<byte[], VerificationRequest> requests;
    private final Serde<VerificationResult> resultSerde = new JsonSerde<>(VerificationResult.class);
    private final Topic<String, VerificationRequest> retryable;
    private final Topic<String, CheckedRequest> byPerson;
    private final Topic<String, NameClaim> nameClaims;
    private final Topic<String, NameAnswer> nameAnswers;
    private final Topic<String, AuditRecord> audit;
    private final FieldCipher cipher;
    private final Serde<Pending> pendingSerde;
    private final Serde<VerificationRequest> sealedRequestSerde;

    /** The repartition topic that takes checked requests, photos included, to the partitions of their persons. */
    public static final String BY_PERSON = "facecheck-by-person";

    /**
     * A topic Kafka Streams creates for the worker and names after its application id.
     *
     * @param readByWorker   whether the worker consumes it while it runs (the repartition topic); a changelog is read
     *                       only to restore its store
     * @param sealedRequests whether its records hold requests, their personal data sealed
     */
    public record InternalTopic(String name, boolean readByWorker, boolean sealedRequests) {
    }

    /**
     * Every topic Kafka Streams creates for the worker under {@code applicationId}: the by-person repartition topic,
     * then a changelog per store. Operations tools need them without a running worker (to describe or delete them).
     */
    public static List<InternalTopic> internalTopics(String applicationId) {
        List<InternalTopic> topics = new ArrayList<>();
        topics.add(new InternalTopic(applicationId + "-" + BY_PERSON + "-repartition", true, true));
        for (String store : List.of(DropDuplicates.STORE, ServePerson.PENDING, ServePerson.PHOTOS,
                ServePerson.ID_RESERVATIONS, DailyCalls.STORE, ClaimName.STORE)) {
            boolean sealed = store.equals(ServePerson.PENDING) || store.equals(ServePerson.PHOTOS);
            topics.add(new InternalTopic(applicationId + "-" + store + "-changelog", false, sealed));
        }
        return List.copyOf(topics);
    }

    public Topics(TopicNames names, RequestParser parser, FieldCipher cipher) {
        this.names = names;
        this.cipher = cipher;
        Serde<VerificationRequest> requestSerde = Serdes.serdeFrom(
                new JsonSerde<>(VerificationRequest.class).serializer(), (topic, bytes) -> parser.parse(bytes));
        // Producers key requests however they like; the key is not read.
        this.requests = new Topic<>(names.requests(), Serdes.ByteArray(), requestSerde);
        ObjectMapper sealing = SealedRequest.mapper(cipher);
        this.sealedRequestSerde = new JsonSerde<>(VerificationRequest.class, sealing);
        this.retryable = new Topic<>(names.retryableDeadLetters(), Serdes.String(), sealedRequestSerde);
        // Kafka Streams names it <application id>-facecheck-by-person-repartition and purges it after each commit.
        this.byPerson = new Topic<>(BY_PERSON, Serdes.String(), new JsonSerde<>(CheckedRequest.class, sealing));
        this.pendingSerde = new JsonSerde<>(Pending.class, sealing);
        this.nameClaims = new Topic<>(names.nameClaims(), Serdes.String(), new JsonSerde<>(NameClaim.class));
        this.nameAnswers = new Topic<>(names.nameAnswers(), Serdes.String(), new JsonSerde<>(NameAnswer.class));
        // Nothing to seal: an audit record holds no name, ID number or photo.
        this.audit = new Topic<>(names.audit(), Serdes.String(), new JsonSerde<>(AuditRecord.class));
    }

    public TopicNames names() {
        return names;
    }

    public Topic<byte[], VerificationRequest> requests() {
        return requests;
    }

    public Serde<VerificationResult> resultSerde() {
        return resultSerde;
    }

    public Topic<String, VerificationRequest> retryable() {
        return retryable;
    }

    public Topic<String, CheckedRequest> byPerson() {
        return byPerson;
    }

    public Topic<String, NameClaim> nameClaims() {
        return nameClaims;
    }

    public Topic<String, NameAnswer> nameAnswers() {
        return nameAnswers;
    }

    /** One record per decision, keyed by request id, written with the result it records. */
    public Topic<String, AuditRecord> audit() {
        return audit;
    }

    /** What seals the poison dead letters, which are bytes no serde could read. */
    FieldCipher cipher() {
        return cipher;
    }

    /** Values of the pending-requests store and its changelog. */
    Serde<Pending> pendingSerde() {
        return pendingSerde;
    }

    /** Values of the pending-photos store and its changelog: a request reduced to its id and photo. */
    Serde<VerificationRequest> photoSerde() {
        return sealedRequestSerde;
    }
}
