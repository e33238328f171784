package com.facecheck.topology;

import com.facecheck.identity.PhotoCheck;
import com.facecheck.identity.RequestValidation;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/** The story of a request, one step a line. */
public final class FacecheckTopology {

    static final String REQUESTS = "requests";
    public static final String CHECK = "check-request";
    public static final String DEDUP = "drop-duplicates";
    static final String NAME_ANSWERS = "name-answers";
    public static final String SERVE = "serve-person";
    public static final String CLAIM_NAME = "claim-name";
    static final String RESULTS = "results";
    static final String AUDIT = "audit";
    static final String RETRYABLE = "retryable-dead-letters";

    /** How often answers that arrived between records are written out. */
    public static final Duration DEFAULT_DRAIN_INTERVAL = Duration.ofMillis(10);

    private FacecheckTopology() {
    }

    /**
     * @param resultBuilder how results show the person
     * @param workerVersion what every audit record says decided
     * @param config        Kafka Streams' topology settings; they carry a processor wrapper where one is configured
     */
    public static Topology build(Topics topics, Admission admission, Results resultBuilder, CallSetup calls,
                                 Clock clock, Duration drainInterval, String workerVersion, TopologyConfig config) {
        var requests = topics.requests();
        var byPerson = topics.byPerson();
        var claims = topics.nameClaims();
        var answers = topics.nameAnswers();
        var retryable = topics.retryable();
        var audit = topics.audit();
        StreamsBuilder builder = new StreamsBuilder(config);
        builder.addStateStore(DropDuplicates.storeBuilder(admission.dedupWindow()));
        ServePerson.storeBuilders(admission, topics).forEach(builder::addStateStore);
        builder.addStateStore(CapLedger.storeBuilder(ClaimName.STORE, admission.capWindow()));

        // 1. A request arrives; bytes that are not a request go to the poison dead letters (KIP-1034).
        KStream<String, CheckedRequest> checked = builder.stream(requests.name(),
                        Consumed.with(requests.keySerde(), requests.valueSerde()).withName(REQUESTS))
                // 2. It is checked: an invalid one, or one without the person's consent, gets its result 7 decided,
                // with no call; photos are made to fit.
                .process(() -> new CheckRequest(new RequestValidation(new PhotoCheck(), clock,
                        admission.requireConsent()), admission.keys(), resultBuilder, clock), Named.as(CHECK))
                // 3. It moves to the partition of its person: the photo's one trip through Kafka.
                .repartition(Repartitioned.with(byPerson.keySerde(), byPerson.valueSerde()).withName(byPerson.name()))
                // 4. A request id seen within the dedup window is dropped: no second call, no second result.
                .process(() -> new DropDuplicates(admission.dedupWindow(), calls.meters(), clock), Named.as(DEDUP),
                        DropDuplicates.STORE);
        // 5. The name stage's answers come back to the person's partition.
        KStream<String, NameAnswer> nameAnswers = builder.stream(answers.name(),
                Consumed.with(answers.keySerde(), answers.valueSerde()).withName(NAME_ANSWERS));
        // 6. A person's requests are served one at a time: the ID cap, the name claim, the call, the result.
        KStream<String, PersonOutput> served = asInput(checked).merge(asInput(nameAnswers), Named.as("merge-" + NAME_ANSWERS))
                .process(() -> new ServePerson(admission, calls, resultBuilder, clock, drainInterval, workerVersion),
                        Named.as(SERVE), ServePerson.PENDING, ServePerson.PHOTOS, ServePerson.ID_RESERVATIONS,
                        DailyCalls.STORE);
        // 7. On the name's partition, the name cap is counted for every partition and instance, and answered.
        builder.stream(claims.name(), Consumed.with(claims.keySerde(), claims.valueSerde()).withName(claims.name()))
                .process(() -> new ClaimName(admission, calls.meters(), clock), Named.as(CLAIM_NAME), ClaimName.STORE)
                .to(answers.name(), Produced.with(answers.keySerde(), answers.valueSerde()).withName(answers.name()));
        served.split(Named.as("served-"))
                // 8. Every result goes to the topic of its code, on the partition of its request id.
                .branch((key, value) -> value instanceof PersonOutput.Result, Branched.withConsumer(results -> results
                        .mapValues(value -> ((PersonOutput.Result) value).result(), Named.as("as-result"))
                        .to((key, value, context) -> topics.names().resultTopic(value.outcomeEnum()),
                                Produced.with(Serdes.String(), topics.resultSerde()).withName(RESULTS)), RESULTS))
                // 8b. ... and its audit record to the audit trail, in the same transaction: one per decision.
                .branch((key, value) -> value instanceof PersonOutput.Audit, Branched.withConsumer(records -> records
                        .mapValues(value -> ((PersonOutput.Audit) value).record(), Named.as("as-audit"))
                        .to(audit.name(), Produced.with(audit.keySerde(), audit.valueSerde()).withName(AUDIT)), AUDIT))
                // 9. Claims and give-backs go to the partition of the name.
                .branch((key, value) -> value instanceof NameClaim, Branched.withConsumer(toNames -> toNames
                        .mapValues(NameClaim.class::cast, Named.as("as-claim"))
                        .to(claims.name(), Produced.with(claims.keySerde(), claims.valueSerde())
                                .withName(claims.name() + "-sink")), "claims"))
                // 10. Failures that a replay could fix are also kept whole, with headers saying why. The type is
                // sealed, so this is all that is left: a cast that fails would fail loudly, never drop a record.
                .defaultBranch(Branched.withConsumer(failed -> failed
                        .mapValues(value -> ((PersonOutput.DeadLetter) value).request(), Named.as("as-dead-letter"))
                        .to(retryable.name(), Produced.with(retryable.keySerde(), retryable.valueSerde())
                                .withName(RETRYABLE)), RETRYABLE));
        return builder.build();
    }

    /** One step reads requests and answers alike, as the sealed type they share. */
    @SuppressWarnings("unchecked")
    private static KStream<String, PersonInput> asInput(KStream<String, ? extends PersonInput> stream) {
        return (KStream<String, PersonInput>) stream;
    }
}
