package com.facecheck.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.AuditRecord;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.PersonFields;
import com.facecheck.contract.RequestParser;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.Keyset;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.provider.Billing;
import com.facecheck.provider.CallPermits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.facecheck.provider.ProviderCircuit;
import com.facecheck.provider.RetryPolicy;
import com.facecheck.testing.FailingProcessors;
import com.facecheck.testing.MutableClock;
import com.facecheck.provider.Provider;
import com.facecheck.provider.ProviderAnswer;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.Traffic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FacecheckTopologyTest {

    private static final String IMAGE = TestImages.jpegBase64(320, 400);
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final String[] NAMES = {"李零", "李一", "李二", "李三", "李四", "李五", "李六", "李七", "李八", "李九"};
    private static final String VERSION = "9.8.7-topology-test";

    /** A provider whose answers the test hands out: one future per call, the latest per request id in the map. */
    private final Map<String, CompletableFuture<ProviderAnswer>> calls = new ConcurrentHashMap<>();
    private final List<String> callOrder = new ArrayList<>();
    private final Map<String, Integer> personOf = new HashMap<>();
    /** Request ids for which the provider client throws instead of failing its future. */
    private final Set<String> throwingFor = new HashSet<>();
    private final Provider provider = request -> {
        if (throwingFor.contains(request.requestId())) {
            throw new IllegalStateException("the client broke on " + request.idNumber());
        }
        callOrder.add(request.requestId());
        CompletableFuture<ProviderAnswer> call = new CompletableFuture<>();
        calls.put(request.requestId(), call);
        return call;
    };

    @TempDir
    Path stateDir;

    /** Moves with the driver's wall clock, so due times of retries pass when the test says so. */
    private final MutableClock clock = new MutableClock(NOW);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ProviderCircuit circuit = new ProviderCircuit(Duration.ofSeconds(30), meters);
    /** One attempt only, unless a test says otherwise: most tests look at what a single answer does. */
    private RetryPolicy retry = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(5));
    private static final KeyedHasher KEYS = new KeyedHasher("test-secret-0123456789".getBytes(StandardCharsets.UTF_8));
    /** One keyset for every driver of a test: a restarted driver reads the stores the one before it sealed. */
    private static final FieldCipher CIPHER = new FieldCipher(Keyset.generate());
    private Admission admission = Admission.defaults(KEYS);
    private CallSetup.Budget budget = CallSetup.Budget.NONE;
    private PersonFields personFields = PersonFields.DEFAULT;
    /** Processors made to throw on chosen records ({@link FailingProcessors}); null for none. */
    private String failOn;

    /** What the latest driver's tasks report for the worker's gauges. */
    private CallGauges gauges;

    private CallSetup calls(CallSetup.OnUnavailable onUnavailable) {
        gauges = new CallGauges(clock);
        return new CallSetup(provider, () -> CallPermits.forTask(0, 1, new CallPermits.InFlight(100)), circuit, retry,
                onUnavailable, budget, meters, gauges);
    }

    private void advance(Duration duration) {
        clock.advance(duration);
        driver.advanceWallClockTime(duration);
    }

    private TopicNames names;
    private Topics topics;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> requests;

    @BeforeEach
    void start() {
        startDriver(CallSetup.OnUnavailable.DEAD_LETTER);
    }

    private void restart(CallSetup.OnUnavailable onUnavailable) {
        driver.close();
        startDriver(onUnavailable);
    }

    private void startDriver(CallSetup.OnUnavailable onUnavailable) {
        names = new TopicNames("in", Map.of(Outcome.THROTTLED, "retry-later", Outcome.FAILED, "retry-later"),
                "dlq.retryable", "dlq.poison");
        topics = new Topics(names, new RequestParser(KEYS), CIPHER);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, FailedRecords.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, FailedRecords.class);
        if (failOn != null) {
            props.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, FailingProcessors.class.getName());
            props.put(FailingProcessors.FAIL_ON, failOn);
        }
        Results results = new Results(personFields, KEYS);
        props.put(FailedRecords.SETUP_CONFIG, new FailedRecords.Setup(topics, meters, clock, results, VERSION));
        driver = new TopologyTestDriver(FacecheckTopology.build(topics, admission, results, calls(onUnavailable),
                clock, Duration.ofMillis(20), VERSION, new TopologyConfig(new StreamsConfig(props))), props, NOW);
        requests = driver.createInputTopic(names.requests(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aRequestMissingItsPhotoIsAnsweredLocallyWithoutACall() {
        send(Traffic.request("r1", "李三", "35020319900101123X", null));

        VerificationResult result = onlyResult(Outcome.INVALID_REQUEST);
        assertThat(result.requestId()).isEqualTo("r1");
        assertThat(result.reason()).isEqualTo("missing-image");
        assertThat(result.message()).isEqualTo("未传入人像图片img");
        assertThat(result.decidedBy()).isEqualTo("local");
        assertThat(result.name()).isEqualTo("李**");
        assertThat(result.billing()).isEqualTo("unbilled");
        assertThat(callOrder).isEmpty();
    }

    @Test
    void byDefaultAResultShowsThePersonOnlyByPersonIdAndMaskedName() throws Exception {
        String id = "35020319900101123X";
        send(request("v1", "李三", id));
        calls.get("v1").complete(new ProviderAnswer.Verdict(Outcome.VERIFIED, true, "身份证号与姓名匹配，照片核验成功。",
                "1990-01-01", "男", "福建省厦门市思明区", "gw-v1"));
        advance(Duration.ofMillis(25));
        send(Traffic.request("v2", "李三", id, null)); // no photo: decided here
        send(request("v3", "李三", TestIds.idNumber(900)));
        send(Traffic.request("v4", "李三", "350203199001011230", null)); // bad check character

        VerificationResult verified = onlyResult(Outcome.VERIFIED);
        String json = new String(new JsonSerde<>(VerificationResult.class).serializer().serialize("t", verified),
                StandardCharsets.UTF_8);
        assertThat(verified.name()).isEqualTo("李**");
        assertThat(verified.personId()).matches("[0-9a-f]{64}");
        assertThat(verified.idNumber()).isNull();
        assertThat(verified.birthday()).isNull();
        assertThat(verified.sex()).isNull();
        assertThat(verified.region()).isNull();
        assertThat(json).doesNotContain("3502").doesNotContain("123X").doesNotContain("1990").doesNotContain("男")
                .doesNotContain("思明").doesNotContain("idNumber").doesNotContain("birthday");
        // Not the worker's own key for the person: a result gives nothing to look up in its stores and topics.
        assertThat(verified.personId()).isNotEqualTo(KEYS.hex("id-number", id));

        List<VerificationResult> invalid = results(Outcome.INVALID_REQUEST).readValuesToList();
        assertThat(invalid).extracting(VerificationResult::requestId).containsExactlyInAnyOrder("v2", "v4");
        VerificationResult local = invalid.stream().filter(r -> r.requestId().equals("v2")).findFirst().orElseThrow();
        assertThat(local.personId()).as("the same person, decided here or by the provider")
                .isEqualTo(verified.personId());
        assertThat(invalid.stream().filter(r -> r.requestId().equals("v4")).findFirst().orElseThrow().personId())
                .as("no usable ID number, no personId").isNull();
        verdict("v3");
        assertThat(onlyResult(Outcome.VERIFIED).personId()).as("another person").isNotNull()
                .isNotEqualTo(verified.personId());
    }

    @Test
    void configuredBirthdaySexAndRegionAreShownAndTheMaskedIdNumberIsNot() {
        personFields = PersonFields.of(PersonFields.Field.BIRTHDAY, PersonFields.Field.SEX, PersonFields.Field.REGION);
        restart(CallSetup.OnUnavailable.DEAD_LETTER);
        send(request("c1", "李三", "35020319900101123X"));
        calls.get("c1").complete(new ProviderAnswer.Verdict(Outcome.VERIFIED, true, "ok", "1990-01-01", "男",
                "福建省厦门市思明区", null));
        advance(Duration.ofMillis(25));
        send(Traffic.request("c2", "李三", "11010519491231002X", null));

        VerificationResult verified = onlyResult(Outcome.VERIFIED);
        assertThat(verified).extracting(VerificationResult::birthday, VerificationResult::sex, VerificationResult::region)
                .containsExactly("1990-01-01", "男", "福建省厦门市思明区");
        assertThat(verified.idNumber()).isNull();
        assertThat(verified.name()).as("not configured").isNull();
        assertThat(verified.personId()).isNotNull();
        VerificationResult local = onlyResult(Outcome.INVALID_REQUEST);
        assertThat(local.birthday()).isEqualTo("1949-12-31");
        assertThat(local.sex()).isEqualTo("女");
        assertThat(local.region()).as("read from the ID number").contains("朝阳");
        assertThat(local.idNumber()).isNull();
    }

    @Test
    void aFailureBilledByItsStatusSaysSoInTheResultAndTheMetric() {
        send(request("b200"));
        calls.get("b200").complete(new ProviderAnswer.TransientFailure("HTTP 200 with a body that is not a JSON object",
                Billing.BILLED, "gw-b"));
        advance(Duration.ofMillis(25));

        VerificationResult failed = onlyResult(Outcome.FAILED);
        assertThat(failed.reason()).isEqualTo("provider-call-failed");
        assertThat(failed.billing()).isEqualTo("billed");
        assertThat(meters.get("facecheck.provider.answers").tag("kind", "TransientFailure").tag("billing", "billed")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void aVerdictIsWrittenToItsTopicOnlyOnceTheAnswerArrivesAndThePhotoLeavesTheStore() {
        send(request("r2"));
        assertThat(callOrder).containsExactly("r2");
        assertThat(pendingStore().get("r2").checked().request().image())
                .as("the stored state holds no photo: it changes without writing the photo again").isNull();
        assertThat(photoStore().get("r2").image()).isEqualTo(IMAGE);
        assertThat(photoStore().get("r2").name()).as("the photo is kept alone").isNull();
        assertThat(results(Outcome.FACE_MISMATCH).isEmpty()).isTrue();

        calls.get("r2").complete(new ProviderAnswer.Verdict(Outcome.FACE_MISMATCH, false, "身份证号与姓名匹配，照片核验失败。",
                "1990-01-01", "男", "福建省厦门市思明区", "gw-1"));
        advance(Duration.ofMillis(25));

        VerificationResult result = onlyResult(Outcome.FACE_MISMATCH);
        assertThat(result.error()).isEqualTo(1);
        assertThat(result.outcome()).isEqualTo("face-mismatch");
        assertThat(result.billing()).isEqualTo("billed");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.providerRequestId()).isEqualTo("gw-1");
        assertThat(result.receivedAt()).isEqualTo(NOW);
        assertThat(pendingStore().get("r2")).isNull();
        assertThat(photoStore().get("r2")).isNull();
    }

    @Test
    void aFailedCallYieldsResultNineAndTheWholeRequestOnTheRetryableDeadLetters() {
        send(request("r3"));
        calls.get("r3").complete(new ProviderAnswer.TransientFailure("gateway HTTP 503: Service Unavailable",
                Billing.UNBILLED, "gw-3"));
        advance(Duration.ofMillis(25));

        VerificationResult result = onlyResult(Outcome.FAILED);
        assertThat(result.reason()).isEqualTo("provider-call-failed");
        assertThat(result.billing()).isEqualTo("unbilled");

        TestOutputTopic<String, VerificationRequest> dlq = retryableDeadLetters();
        TestRecord<String, VerificationRequest> letter = dlq.readRecord();
        assertThat(letter.key()).isEqualTo("r3");
        assertThat(letter.value().image()).isEqualTo(IMAGE);
        assertThat(header(letter.headers().lastHeader(DeadLetters.REASON_CODE))).isEqualTo("provider-call-failed");
        assertThat(header(letter.headers().lastHeader(DeadLetters.SOURCE_TOPIC))).isEqualTo("in");
        assertThat(header(letter.headers().lastHeader(DeadLetters.SOURCE_OFFSET))).isEqualTo("0");
        assertThat(header(letter.headers().lastHeader(DeadLetters.REPLAY_COUNT))).isEqualTo("0");
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void codesMappedToOneTopicShareIt() {
        send(request("r4"));
        send(request("r5"));
        calls.get("r4").complete(new ProviderAnswer.Throttled("查询过于频繁，请稍后再试。", Billing.UNBILLED, null));
        calls.get("r5").complete(new ProviderAnswer.ProviderUnavailable("gateway HTTP 403: Quota Exhausted", null));
        advance(Duration.ofMillis(25));

        var shared = results(Outcome.THROTTLED).readValuesToList();
        assertThat(shared).extracting(VerificationResult::requestId, VerificationResult::error)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("r4", 8), org.assertj.core.groups.Tuple.tuple("r5", 9));
    }


    @Test
    void bytesThatAreNotARequestGoToThePoisonDeadLettersAndProcessingGoesOn() {
        requests.pipeInput("not json at all".getBytes(StandardCharsets.UTF_8));
        send("{\"requestId\":\"r7\",\"idNumber\":\"35020319900101123X\",\"consentId\":\"c-7\",\"image\":\"" + IMAGE
                + "\"}");

        var poison = driver.createOutputTopic(names.poisonDeadLetters(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer()).readRecordsToList();
        assertThat(poison).hasSize(1);
        assertThat(new String(poison.get(0).value(), StandardCharsets.ISO_8859_1)).doesNotContain("not json at all");
        assertThat(CIPHER.open(poison.get(0).value(), DeadLetters.poisonContext(poison.get(0).headers(), "value")))
                .as("sealed whole, as it was read").asString(StandardCharsets.UTF_8).isEqualTo("not json at all");
        assertThat(header(poison.get(0).headers().lastHeader(DeadLetters.REASON)))
                .contains("not valid JSON").doesNotContain("not json at all");
        assertThat(onlyResult(Outcome.INVALID_REQUEST).reason()).isEqualTo("missing-name");
    }

    @Test
    void aReplayedRecordThatIsStillNoRequestKeepsItsReplayCountOnThePoisonDeadLetters() {
        var replayed = new org.apache.kafka.common.header.internals.RecordHeaders();
        replayed.add(DeadLetters.REPLAY_COUNT, "2".getBytes(StandardCharsets.UTF_8));
        requests.pipeInput(new TestRecord<>(null, "not json at all".getBytes(StandardCharsets.UTF_8), replayed, NOW));
        requests.pipeInput("from upstream, not json either".getBytes(StandardCharsets.UTF_8));

        var poison = driver.createOutputTopic(names.poisonDeadLetters(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer()).readRecordsToList();
        assertThat(poison).extracting(r -> header(r.headers().lastHeader(DeadLetters.REPLAY_COUNT)))
                .as("so that a replay's --max-replays parks it in the end").containsExactly("2", "0");
    }

    @Test
    void aFailedCallIsTriedAgainAfterItsBackoffAndTheResultCountsTheAttempts() {
        retry = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(5));
        restart(CallSetup.OnUnavailable.DEAD_LETTER);
        send(request("r8"));
        calls.get("r8").complete(new ProviderAnswer.TransientFailure("gateway HTTP 504", Billing.UNBILLED, null));
        advance(Duration.ofMillis(25));
        assertThat(callOrder).containsExactly("r8");
        assertThat(pendingStore().get("r8").attemptsMade()).isEqualTo(1);
        assertThat(results(Outcome.FAILED).isEmpty()).isTrue();

        advance(Duration.ofMillis(1100));
        assertThat(callOrder).containsExactly("r8", "r8");
        calls.get("r8").complete(new ProviderAnswer.Verdict(Outcome.VERIFIED, true, "ok", null, null, null, null));
        advance(Duration.ofMillis(25));

        assertThat(onlyResult(Outcome.VERIFIED).attempts()).isEqualTo(2);
        assertThat(pendingStore().get("r8")).isNull();
    }

    @Test
    void whenRetriesAreUsedUpThrottlingEndsAsResultEightAndADeadLetter() {
        retry = new RetryPolicy(2, Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMinutes(5));
        restart(CallSetup.OnUnavailable.DEAD_LETTER);
        send(request("r9"));
        calls.get("r9").complete(new ProviderAnswer.Throttled("查询过于频繁，请稍后再试。", Billing.UNBILLED, null));
        advance(Duration.ofMillis(25));
        advance(Duration.ofMillis(200));
        assertThat(callOrder).containsExactly("r9", "r9");
        calls.get("r9").complete(new ProviderAnswer.Throttled("查询过于频繁，请稍后再试。", Billing.UNBILLED, null));
        advance(Duration.ofMillis(25));

        VerificationResult result = onlyResult(Outcome.THROTTLED);
        assertThat(result.attempts()).isEqualTo(2);
        var letters = retryableDeadLetters().readRecordsToList();
        assertThat(letters).singleElement().satisfies(letter ->
                assertThat(header(letter.headers().lastHeader(DeadLetters.ATTEMPTS))).isEqualTo("2"));
    }

    @Test
    void anUnavailableProviderPausesAllCallsUntilAProbeSucceeds() {
        restart(CallSetup.OnUnavailable.PAUSE);
        send(request("a"));
        calls.get("a").complete(new ProviderAnswer.ProviderUnavailable("gateway HTTP 403: Quota Exhausted", null));
        advance(Duration.ofMillis(25));
        send(request("b"));
        send(request("c"));
        advance(Duration.ofSeconds(5));
        assertThat(circuit.isOpen()).isTrue();
        assertThat(meters.get("facecheck.provider.circuit.open").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("facecheck.provider.unavailable").counter().count()).isEqualTo(1.0);
        assertThat(callOrder).containsExactly("a");
        assertThat(results(Outcome.FAILED).isEmpty()).isTrue();

        advance(Duration.ofSeconds(30)); // the probe: one call, the oldest waiting request
        assertThat(callOrder).containsExactly("a", "a");
        calls.get("a").complete(new ProviderAnswer.Verdict(Outcome.VERIFIED, true, "ok", null, null, null, null));
        advance(Duration.ofMillis(25));
        advance(Duration.ofMillis(25));

        assertThat(circuit.isOpen()).isFalse();
        assertThat(meters.get("facecheck.provider.circuit.open").gauge().value()).isZero();
        assertThat(callOrder).containsExactly("a", "a", "b", "c");
        assertThat(onlyResult(Outcome.VERIFIED).requestId()).isEqualTo("a");
        assertThat(retryableDeadLetters().isEmpty()).isTrue();
    }

    @Test
    void setToDeadLetterAnUnavailableProviderFailsWaitingRequestsAtOnceWithoutCalls() {
        send(request("d1"));
        calls.get("d1").complete(new ProviderAnswer.ProviderUnavailable("gateway HTTP 403: Quota Exhausted", null));
        advance(Duration.ofMillis(25));
        send(request("d2"));
        send(request("d3"));
        advance(Duration.ofMillis(25));

        assertThat(callOrder).containsExactly("d1");
        var failed = results(Outcome.FAILED).readValuesToList();
        assertThat(failed).extracting(VerificationResult::requestId, VerificationResult::attempts,
                        VerificationResult::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("d1", 1, "provider-unavailable"),
                        org.assertj.core.groups.Tuple.tuple("d2", 0, "provider-unavailable"),
                        org.assertj.core.groups.Tuple.tuple("d3", 0, "provider-unavailable"));
        assertThat(failed.get(2).message()).contains("Quota Exhausted");
        assertThat(retryableDeadLetters().readKeyValuesToList()).extracting(kv -> kv.key)
                .containsExactly("d1", "d2", "d3");

        advance(Duration.ofSeconds(30)); // the probe goes with the next request; the provider is back
        send(request("d4"));
        assertThat(callOrder).containsExactly("d1", "d4");
        calls.get("d4").complete(new ProviderAnswer.Verdict(Outcome.VERIFIED, true, "ok", null, null, null, null));
        advance(Duration.ofMillis(25));
        assertThat(circuit.isOpen()).isFalse();
        assertThat(onlyResult(Outcome.VERIFIED).requestId()).isEqualTo("d4");
    }

    @Test
    void aDuplicateInsideTheWindowIsNeitherCalledNorAnsweredAgainButOneAtItsEdgeIs() {
        send(request("r6"));
        send(request("r6")); // while the first is in flight
        verdict("r6");
        advance(Duration.ofHours(24).minusMillis(26)); // 1 ms before the window that started with the first ends
        send(request("r6"));
        assertThat(callOrder).containsExactly("r6");
        assertThat(meters.get("facecheck.requests.duplicates").counter().count()).isEqualTo(2.0);
        assertThat(auditBytes()).as("a dropped duplicate is no decision: no audit record").hasSize(1);

        advance(Duration.ofMillis(1)); // the window is half-open: this is new
        send(request("r6"));
        verdict("r6");
        assertThat(callOrder).containsExactly("r6", "r6");
        assertThat(results(Outcome.VERIFIED).readValuesToList()).hasSize(2);
        assertThat(auditBytes()).as("a new decision, with its audit record").hasSize(1);
    }

    @Test
    void aProducerWhoseClockIsThreeDaysBehindStillHasItsDuplicatesDropped() {
        send(request("current"), NOW); // the partition's stream time is now
        verdict("current");
        Instant behind = NOW.minus(Duration.ofDays(3));
        send(request("late"), behind);
        verdict("late");
        send(request("late"), behind.plusSeconds(60)); // the same request, sent again a minute later

        assertThat(callOrder).containsExactly("current", "late");
        assertThat(results(Outcome.VERIFIED).readValuesToList()).extracting(VerificationResult::requestId)
                .containsExactly("current", "late");
        assertThat(meters.get("facecheck.requests.duplicates").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aReplayFromTheDeadLettersIsNotADuplicate() {
        send(request("r10"));
        calls.get("r10").complete(new ProviderAnswer.TransientFailure("connection reset", Billing.UNKNOWN, null));
        advance(Duration.ofMillis(25));
        assertThat(onlyResult(Outcome.FAILED).requestId()).isEqualTo("r10");

        var replay = new org.apache.kafka.common.header.internals.RecordHeaders();
        replay.add(DeadLetters.REPLAY_COUNT, "1".getBytes(StandardCharsets.UTF_8));
        requests.pipeInput(new TestRecord<>(null, request("r10").getBytes(StandardCharsets.UTF_8), replay,
                NOW.plusSeconds(60)));
        verdict("r10");

        assertThat(callOrder).containsExactly("r10", "r10");
        assertThat(onlyResult(Outcome.VERIFIED).requestId()).isEqualTo("r10");
        assertThat(meters.get("facecheck.requests.duplicates").counter().count()).isZero();
        assertThat(auditBytes()).extracting(r -> audit(r.value())).extracting(AuditRecord::error,
                AuditRecord::replayCount).containsExactly(org.assertj.core.groups.Tuple.tuple(9, 0),
                org.assertj.core.groups.Tuple.tuple(0, 1));
    }

    @Test
    void theSixthRequestForAnIdNumberIsRefusedWithoutACallUntilTheWindowSlides() {
        String id = TestIds.idNumber(500);
        Duration step = Duration.ofSeconds(60).plusMillis(25); // a minute, plus the verdict's 25 ms
        for (int i = 1; i <= 5; i++) {
            send(request("p" + i, NAMES[i], id));
            verdict("p" + i);
            advance(Duration.ofSeconds(60));
        }
        send(request("p6", NAMES[6], id));
        assertThat(callOrder).containsExactly("p1", "p2", "p3", "p4", "p5");
        VerificationResult refused = onlyResult(Outcome.THROTTLED);
        assertThat(refused.requestId()).isEqualTo("p6");
        assertThat(refused.reason()).isEqualTo("cap-per-id");
        assertThat(refused.billing()).isEqualTo("unbilled");
        assertThat(refused.decidedBy()).isEqualTo("local");

        // 24 h after p1 was called it has left every window with the next request; p2–p5 have not.
        advance(Duration.ofHours(24).minus(step.multipliedBy(5)));
        send(request("p7", NAMES[7], id));
        verdict("p7");
        advance(Duration.ofSeconds(60)); // now p2 has left too
        send(request("p8", NAMES[8], id));
        verdict("p8");
        send(request("p9", NAMES[9], id));
        assertThat(callOrder).endsWith("p5", "p7", "p8");
        assertThat(onlyResult(Outcome.THROTTLED).requestId()).isEqualTo("p9");
    }

    @Test
    void aBacklogSpreadOverFiveDaysOfRecordTimeGetsNoMoreCallsThanTheCapInADay() {
        String id = TestIds.idNumber(501);
        Instant oldest = NOW.minus(Duration.ofDays(5));
        for (int i = 0; i < 30; i++) {
            send(request("b" + i, NAMES[i % NAMES.length], id), oldest.plus(Duration.ofHours(4).multipliedBy(i)));
        }
        for (int answered = 0; answered < callOrder.size(); answered++) {
            verdict(callOrder.get(answered));
        }

        assertThat(callOrder).as("the caps count calls when they are made, as the provider does")
                .containsExactly("b0", "b1", "b2", "b3", "b4");
        assertThat(results(Outcome.THROTTLED).readValuesToList()).hasSize(25)
                .allSatisfy(r -> assertThat(r.reason()).isEqualTo("cap-per-id"));
    }

    @Test
    void aNameReachesItsCapAcrossIdNumbersAndTheRefusedPersonKeepsTheirIdCap() {
        admission = admission.withCaps(1, 3);
        restart(CallSetup.OnUnavailable.DEAD_LETTER);
        for (int i = 1; i <= 4; i++) {
            send(request("n" + i, "王五", TestIds.idNumber(600 + i)));
        }
        assertThat(callOrder).as("different people are served at once").containsExactly("n1", "n2", "n3");
        VerificationResult refused = onlyResult(Outcome.THROTTLED);
        assertThat(refused.requestId()).isEqualTo("n4");
        assertThat(refused.reason()).isEqualTo("cap-per-name");

        // n4's person was refused by the name stage, so its one place under the ID cap was given back.
        send(request("n5", "赵六", TestIds.idNumber(604)));
        assertThat(callOrder).containsExactly("n1", "n2", "n3", "n5");
    }

    @Test
    void aCallThatEndsWithoutAVerdictGivesBothReservationsBack() {
        admission = admission.withCaps(1, 1);
        restart(CallSetup.OnUnavailable.DEAD_LETTER);
        String id = TestIds.idNumber(700);
        send(request("f1", "钱七", id));
        calls.get("f1").complete(new ProviderAnswer.TransientFailure("gateway HTTP 502", Billing.UNBILLED, null));
        advance(Duration.ofMillis(25));
        send(request("f2", "钱七", id));
        verdict("f2");
        send(request("f3", "钱七", id));

        assertThat(callOrder).containsExactly("f1", "f2");
        assertThat(results(Outcome.THROTTLED).readValuesToList()) // 8 and 9 share a topic here
                .extracting(VerificationResult::requestId, VerificationResult::error, VerificationResult::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("f1", 9, "provider-call-failed"),
                        org.assertj.core.groups.Tuple.tuple("f3", 8, "cap-per-id"));
    }

    @Test
    void aCallThatMayHaveBeenBilledIsNotTriedAgainAndKeepsItsPlaces() {
        retry = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMinutes(5));
        admission = admission.withCaps(2, 20);
        restart(CallSetup.OnUnavailable.DEAD_LETTER);
        String id = TestIds.idNumber(701);
        send(request("u1", "钱七", id));
        calls.get("u1").complete(new ProviderAnswer.TransientFailure("call failed before an answer came back"
                + " (TimeoutException)", Billing.UNKNOWN, null));
        advance(Duration.ofMillis(25));
        send(request("u2", "钱八", id));
        calls.get("u2").complete(new ProviderAnswer.TransientFailure("HTTP 200 with a body that is not a JSON object",
                Billing.BILLED, null));
        advance(Duration.ofMillis(25));
        advance(Duration.ofSeconds(1)); // long past any backoff
        send(request("u3", "钱九", id));

        assertThat(callOrder).as("neither is called again: a second call could be paid twice")
                .containsExactly("u1", "u2");
        assertThat(results(Outcome.THROTTLED).readValuesToList()) // 8 and 9 share a topic here
                .extracting(VerificationResult::requestId, VerificationResult::error, VerificationResult::billing,
                        VerificationResult::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("u1", 9, "unknown", "provider-call-failed"),
                        org.assertj.core.groups.Tuple.tuple("u2", 9, "billed", "provider-call-failed"),
                        org.assertj.core.groups.Tuple.tuple("u3", 8, "unbilled", "cap-per-id"));
        assertThat(retryableDeadLetters().readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("u1", "u2");
    }

    @Test
    void aPersonsResultsKeepTheirInputOrderWhileOtherPeopleGoAhead() {
        String id = TestIds.idNumber(800);
        send(request("o1", "孙八", id));
        send(Traffic.request("o2", "孙八", id, null)); // no photo: result 7
        send(request("o3")); // someone else
        assertThat(callOrder).containsExactly("o1", "o3");
        verdict("o3");
        assertThat(results(Outcome.INVALID_REQUEST).isEmpty())
                .as("o2's result waits for o1's, the same person's earlier request").isTrue();

        verdict("o1");
        VerificationResult invalid = onlyResult(Outcome.INVALID_REQUEST);
        assertThat(invalid.requestId()).isEqualTo("o2");
        assertThat(results(Outcome.VERIFIED).readValuesToList()).extracting(VerificationResult::requestId)
                .containsExactly("o3", "o1");
    }

    @Test
    void whenTheDailyBudgetIsSpentCallsWaitForTheNextDay() {
        budget = new CallSetup.Budget(2, 1);
        restart(CallSetup.OnUnavailable.PAUSE);
        gauges.register(meters, true);
        assertThat(meters.get(CallGauges.BUDGET_LEFT).gauge().value()).isEqualTo(2);
        send(request("b1"));
        send(request("b2"));
        send(request("b3"));
        advance(Duration.ofMinutes(10));
        assertThat(callOrder).containsExactly("b1", "b2");
        assertThat(meters.get(CallGauges.BUDGET_LEFT).gauge().value()).isZero();
        assertThat(meters.get(CallGauges.WAITING).gauge().value()).isEqualTo(1);

        advance(Duration.ofHours(7)); // 01:00 the next day in Asia/Shanghai
        assertThat(callOrder).containsExactly("b1", "b2", "b3");
        assertThat(meters.get(CallGauges.BUDGET_LEFT).gauge().value()).isEqualTo(1);

        restart(CallSetup.OnUnavailable.PAUSE); // the task closes: its share is counted where it runs next
        assertThat(meters.get(CallGauges.BUDGET_LEFT).gauge().value()).isZero();
    }

    @Test
    void theRetryDeadlineCountsFromTheFirstAttemptNotFromAnOutageBeforeIt() {
        retry = new RetryPolicy(2, Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMinutes(1));
        restart(CallSetup.OnUnavailable.PAUSE);
        send(request("o"));
        Instant outageEnds = NOW.plus(Duration.ofMinutes(10));
        while (clock.instant().isBefore(outageEnds)) { // the probes find the provider unavailable
            calls.get("o").complete(new ProviderAnswer.ProviderUnavailable("gateway HTTP 403: Quota Exhausted", null));
            advance(Duration.ofSeconds(10));
        }
        while (calls.get("o").isDone()) {
            advance(Duration.ofSeconds(10));
        }
        int probes = callOrder.size();
        assertThat(probes).isGreaterThan(5);
        calls.get("o").complete(new ProviderAnswer.TransientFailure("gateway HTTP 502", Billing.UNBILLED, null)); // back, but shaky
        advance(Duration.ofMillis(25));
        advance(Duration.ofMillis(200));
        verdict("o");

        assertThat(callOrder).as("the probes, then one retry").hasSize(probes + 1);
        assertThat(onlyResult(Outcome.VERIFIED).attempts()).isEqualTo(2);
        assertThat(retryableDeadLetters().isEmpty()).isTrue();
    }

    @Test
    void anAnswerTheWorkerCannotTurnIntoAResultEndsThatRequestAloneAsAnInternalError() {
        String idNumber = TestIds.idNumber(777);
        send(request("q1", "李三", idNumber));
        send(request("q2", "李三", idNumber));
        calls.get("q1").complete(new ProviderAnswer.Verdict(null, null, "?", null, null, null, "gw-q1"));
        advance(Duration.ofMillis(25));

        VerificationResult failed = onlyResult(Outcome.FAILED);
        assertThat(failed.requestId()).isEqualTo("q1");
        assertThat(failed.reason()).isEqualTo("internal-error");
        assertThat(failed.message()).contains("NullPointerException in serve-person");
        TestRecord<String, VerificationRequest> letter = retryableDeadLetters().readRecord();
        assertThat(letter.key()).isEqualTo("q1");
        assertThat(letter.value().image()).as("kept whole for a replay").isEqualTo(IMAGE);
        assertThat(header(letter.headers().lastHeader(DeadLetters.PROCESSOR))).isEqualTo("serve-person");
        assertThat(header(letter.headers().lastHeader(DeadLetters.REASON_CODE))).isEqualTo("internal-error");
        assertThat(pendingStore().get("q1")).isNull();
        assertThat(photoStore().get("q1")).isNull();
        assertThat(callOrder).as("the person's next request is served").containsExactly("q1", "q2");
        assertThat(meters.get(FailedRecords.METER).counter().count()).isEqualTo(1);
    }

    @Test
    void aProviderClientThatThrowsInsteadOfFailingItsFutureStillEndsTheRequest() {
        throwingFor.add("t1");
        send(request("t1"));
        send(request("t2"));
        advance(Duration.ofMillis(25));

        VerificationResult failed = onlyResult(Outcome.FAILED);
        assertThat(failed.requestId()).isEqualTo("t1");
        assertThat(failed.reason()).isEqualTo("provider-call-failed");
        assertThat(failed.message()).contains("IllegalStateException").doesNotContain(TestIds.idNumber(0));
        assertThat(failed.billing()).as("the client may have sent the request before it threw").isEqualTo("unknown");
        assertThat(callOrder).containsExactly("t2");
    }

    @Test
    void everyDecisionWritesOneAuditRecordThatAgreesWithItsResultAndHoldsNoPersonalData() {
        admission = admission.withCaps(1, 20);
        restart(CallSetup.OnUnavailable.DEAD_LETTER);
        String id = TestIds.idNumber(300);
        send(request("a-verdict", "李三", id));
        calls.get("a-verdict").complete(new ProviderAnswer.Verdict(Outcome.VERIFIED, true, "ok", "1990-01-01", "男",
                "福建省厦门市思明区", "gw-a"));
        advance(Duration.ofMillis(25));
        send(request("a-capped", "李四", id)); // the ID number's one place is taken: refused before a call
        send(Traffic.request("a-local", "李五", TestIds.idNumber(301), null)); // no photo
        send(request("a-failed", "李六", TestIds.idNumber(302)));
        calls.get("a-failed").complete(new ProviderAnswer.TransientFailure("gateway HTTP 502", Billing.UNBILLED,
                "gw-f"));
        advance(Duration.ofMillis(25));
        send(withoutConsent("a-no-consent", "李七", TestIds.idNumber(303)));

        Map<String, VerificationResult> results = allResults();
        List<TestRecord<String, byte[]>> written = auditBytes();
        Map<String, AuditRecord> audit = oneEach(written);
        assertThat(audit).containsOnlyKeys("a-verdict", "a-capped", "a-local", "a-failed", "a-no-consent");
        assertThat(results).containsOnlyKeys(audit.keySet());
        results.forEach((requestId, result) -> assertThat(audit.get(requestId)).as(requestId)
                .isEqualTo(AuditRecord.of(result, VERSION, 0)));

        AuditRecord verdict = audit.get("a-verdict");
        assertThat(verdict).extracting(AuditRecord::error, AuditRecord::outcome, AuditRecord::billing,
                        AuditRecord::attempts, AuditRecord::providerRequestId, AuditRecord::decidedBy,
                        AuditRecord::consentId, AuditRecord::source, AuditRecord::workerVersion,
                        AuditRecord::receivedAt)
                .containsExactly(0, "verified", "billed", 1, "gw-a", "provider", Traffic.consentId("a-verdict"), null,
                        VERSION, NOW);
        assertThat(verdict.personId()).matches("[0-9a-f]{64}");
        assertThat(audit.get("a-capped")).extracting(AuditRecord::error, AuditRecord::reason, AuditRecord::decidedBy,
                AuditRecord::attempts, AuditRecord::personId).containsExactly(8, "cap-per-id", "local", 0,
                verdict.personId());
        assertThat(audit.get("a-local")).extracting(AuditRecord::error, AuditRecord::reason, AuditRecord::billing)
                .containsExactly(7, "missing-image", "unbilled");
        assertThat(audit.get("a-failed")).extracting(AuditRecord::error, AuditRecord::reason, AuditRecord::billing,
                AuditRecord::providerRequestId).containsExactly(9, "provider-call-failed", "unbilled", "gw-f");
        assertThat(retryableDeadLetters().readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("a-failed");
        AuditRecord noConsent = audit.get("a-no-consent");
        assertThat(noConsent).extracting(AuditRecord::error, AuditRecord::reason, AuditRecord::decidedBy,
                AuditRecord::consentId).containsExactly(7, "missing-consent", "local", null);
        assertThat(noConsent.personId()).as("whose data came without consent, by keyed hash").matches("[0-9a-f]{64}");
        assertThat(callOrder).containsExactly("a-verdict", "a-failed");

        for (TestRecord<String, byte[]> record : written) {
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).as(record.key())
                    .doesNotContain("李").doesNotContain(id).doesNotContain(TestIds.idNumber(303))
                    .doesNotContain(IMAGE.substring(100, 140))
                    .doesNotContain("\"name\"").doesNotContain("\"idNumber\"").doesNotContain("\"message\"")
                    .doesNotContain("\"birthday\"").doesNotContain("\"region\"");
        }
    }

    @Test
    void aRequestWithoutConsentGetsResultSevenWithoutACall() {
        send("{\"requestId\":\"nc\",\"name\":\"李三\",\"idNumber\":\"35020319900101123X\",\"consentId\":\" \","
                + "\"image\":\"" + IMAGE + "\"}");

        VerificationResult refused = onlyResult(Outcome.INVALID_REQUEST);
        assertThat(refused).extracting(VerificationResult::reason, VerificationResult::message,
                        VerificationResult::billing, VerificationResult::decidedBy, VerificationResult::attempts)
                .containsExactly("missing-consent", "未传入个人信息处理同意编号consentId", "unbilled", "local", 0);
        assertThat(refused.personId()).isNotNull();
        assertThat(callOrder).isEmpty();
        assertThat(pendingStore().get("nc")).isNull();
        assertThat(oneEach(auditBytes()).get("nc")).isEqualTo(AuditRecord.of(refused, VERSION, 0));
    }

    @Test
    void withConsentNotRequiredARequestWithoutOneIsCheckedAndCalledLikeAnyOther() {
        admission = admission.withConsentRequired(false);
        restart(CallSetup.OnUnavailable.DEAD_LETTER);
        send(withoutConsent("free", "李三", TestIds.idNumber(320)));
        verdict("free");

        assertThat(callOrder).containsExactly("free");
        VerificationResult verified = onlyResult(Outcome.VERIFIED);
        assertThat(verified.consentId()).isNull();
        AuditRecord audit = oneEach(auditBytes()).get("free");
        assertThat(audit).isEqualTo(AuditRecord.of(verified, VERSION, 0));
        assertThat(audit.consentId()).isNull();
    }

    @Test
    void resultsTheFailureHandlerWritesItselfHaveTheirAuditRecordToo() {
        failOn = String.join(",", FailingProcessors.target(FacecheckTopology.DEDUP, "h-internal", CheckedRequest.class),
                FailingProcessors.target(FacecheckTopology.DEDUP, "h-rejected", CheckedRequest.class));
        restart(CallSetup.OnUnavailable.DEAD_LETTER);
        var replayed = new org.apache.kafka.common.header.internals.RecordHeaders();
        replayed.add(DeadLetters.REPLAY_COUNT, "2".getBytes(StandardCharsets.UTF_8));
        requests.pipeInput(new TestRecord<>(null, request("h-internal").getBytes(StandardCharsets.UTF_8), replayed,
                NOW));
        send(Traffic.request("h-rejected", "李三", TestIds.idNumber(310), null)); // no photo: its result 7 travels along

        Map<String, VerificationResult> results = allResults();
        Map<String, AuditRecord> audit = oneEach(auditBytes());
        assertThat(results.get("h-internal")).extracting(VerificationResult::error, VerificationResult::reason)
                .containsExactly(9, "internal-error");
        assertThat(results.get("h-rejected")).extracting(VerificationResult::error, VerificationResult::reason)
                .containsExactly(7, "missing-image");
        assertThat(audit).containsOnlyKeys("h-internal", "h-rejected");
        assertThat(audit.get("h-internal")).isEqualTo(AuditRecord.of(results.get("h-internal"), VERSION, 2));
        assertThat(audit.get("h-rejected")).isEqualTo(AuditRecord.of(results.get("h-rejected"), VERSION, 0));
        assertThat(retryableDeadLetters().readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("h-internal");
        assertThat(callOrder).isEmpty();
    }

    @Test
    void aResultOrAnAuditRecordThatFailsOnItsWayOutIsWrittenAsItWasAndNeitherIsWrittenTwice() {
        failOn = String.join(",", FailingProcessors.target("as-result", "w-result", PersonOutput.Result.class),
                FailingProcessors.target("as-audit", "w-audit", PersonOutput.Audit.class));
        restart(CallSetup.OnUnavailable.DEAD_LETTER);
        for (String id : List.of("w-result", "w-audit", "w-neither")) {
            send(request(id));
            verdict(id);
        }

        Map<String, VerificationResult> results = allResults();
        Map<String, AuditRecord> audit = oneEach(auditBytes());
        assertThat(results).containsOnlyKeys("w-result", "w-audit", "w-neither");
        assertThat(audit).containsOnlyKeys(results.keySet());
        results.forEach((requestId, result) -> assertThat(audit.get(requestId)).as(requestId)
                .isEqualTo(AuditRecord.of(result, VERSION, 0)));
        for (String processor : List.of("as-result", "as-audit")) {
            assertThat(meters.get(FailedRecords.METER).tag("processor", processor).counter().count()).as(processor)
                    .isEqualTo(1);
        }
    }

    private TestOutputTopic<String, VerificationRequest> retryableDeadLetters() {
        return driver.createOutputTopic(names.retryableDeadLetters(), Serdes.String().deserializer(),
                topics.retryable().valueSerde().deserializer());
    }

    private void verdict(String requestId) {
        calls.get(requestId).complete(new ProviderAnswer.Verdict(Outcome.VERIFIED, true, "ok", null, null, null,
                null));
        advance(Duration.ofMillis(25));
    }

    private void send(String json, Instant recordTime) {
        requests.pipeInput(json.getBytes(StandardCharsets.UTF_8), recordTime);
    }

    private void send(String json) {
        requests.pipeInput(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A valid request of its own person: every request id gets an ID number of its own. */
    private String request(String id) {
        return request(id, "李三", TestIds.idNumber(personOf.computeIfAbsent(id, k -> personOf.size())));
    }

    private static String request(String id, String name, String idNumber) {
        return Traffic.request(id, name, idNumber, IMAGE);
    }

    /** A request with everything but a consent id. */
    private static String withoutConsent(String id, String name, String idNumber) {
        return "{\"requestId\":\"" + id + "\",\"name\":\"" + name + "\",\"idNumber\":\"" + idNumber
                + "\",\"image\":\"" + IMAGE + "\"}";
    }

    /** Every result written since the last read, whichever its topic: at most one per request. */
    private Map<String, VerificationResult> allResults() {
        Map<String, VerificationResult> byId = new HashMap<>();
        for (String topic : new HashSet<>(names.results().values())) {
            for (VerificationResult result : driver.createOutputTopic(topic, Serdes.String().deserializer(),
                    new JsonSerde<>(VerificationResult.class).deserializer()).readValuesToList()) {
                assertThat(byId.put(result.requestId(), result)).as("a second result for %s", result.requestId())
                        .isNull();
            }
        }
        return byId;
    }

    /** The audit records written since the last read, as written. */
    private List<TestRecord<String, byte[]>> auditBytes() {
        return driver.createOutputTopic(names.audit(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer()).readRecordsToList();
    }

    private static AuditRecord audit(byte[] written) {
        return new JsonSerde<>(AuditRecord.class).deserializer().deserialize("audit", written);
    }

    /** Audit records by request id, each under its own request id as key, and none twice. */
    private static Map<String, AuditRecord> oneEach(List<TestRecord<String, byte[]>> written) {
        Map<String, AuditRecord> byId = new HashMap<>();
        for (TestRecord<String, byte[]> record : written) {
            AuditRecord audit = audit(record.value());
            assertThat(record.key()).isEqualTo(audit.requestId());
            assertThat(byId.put(record.key(), audit)).as("a second audit record for %s", record.key()).isNull();
        }
        return byId;
    }

    private TestOutputTopic<String, VerificationResult> results(Outcome outcome) {
        return driver.createOutputTopic(names.resultTopic(outcome), Serdes.String().deserializer(),
                new JsonSerde<>(VerificationResult.class).deserializer());
    }

    private VerificationResult onlyResult(Outcome outcome) {
        var all = results(outcome).readValuesToList();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private KeyValueStore<String, Pending> pendingStore() {
        return driver.getKeyValueStore(ServePerson.PENDING);
    }

    private KeyValueStore<String, VerificationRequest> photoStore() {
        return driver.getKeyValueStore(ServePerson.PHOTOS);
    }

    private static String header(Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
