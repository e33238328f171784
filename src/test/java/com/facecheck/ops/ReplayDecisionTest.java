package com.facecheck.ops;

import static com.facecheck.testing.SyntheticDeadLetters.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.facecheck.contract.Json;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.Keyset;
import com.facecheck.topology.DeadLetters;
import com.facecheck.topology.TopicNames;
import com.facecheck.testing.SyntheticDeadLetters;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** What a replay does with each dead letter, and what it produces for it, without a broker. */
class ReplayDecisionTest {

    private static final TopicNames NAMES = TopicNames.defaults();
    private static final FieldCipher CIPHER = new FieldCipher(Keyset.generate());
    private static final Instant T0 = Instant.parse("2026-11-30T02:00:00Z");
    private static final VerificationRequest REQUEST = new VerificationRequest("req-1", TestIds.name(7),
            TestIds.idNumber(7), TestImages.jpegBase64(320, 400), null, "consent-1", "onboarding",
            Json.MAPPER.createObjectNode().put("channel", "app"));

    @Test
    void theFilterDecidesWhatIsSkippedAndItsBoundsAreSinceInclusiveUntilExclusive() {
        DeadLetter unavailable = letter(retryable("provider-unavailable", T0, 0), 0);
        ReplayFilter window = new ReplayFilter(Set.of(), T0, T0.plusSeconds(60), Set.of());

        assertThat(decide(unavailable, ReplayFilter.NONE, 0).action()).isEqualTo(Replay.Action.REPLAY);
        assertThat(decide(unavailable, new ReplayFilter(Set.of("internal-error"), null, null, Set.of()), 0).action())
                .isEqualTo(Replay.Action.SKIP);
        assertThat(decide(unavailable, new ReplayFilter(Set.of("internal-error", "provider-unavailable"), null, null,
                Set.of()), 0).action()).isEqualTo(Replay.Action.REPLAY);
        assertThat(decide(unavailable, window, 0).action()).isEqualTo(Replay.Action.REPLAY);
        assertThat(decide(letter(retryable("provider-unavailable", T0.plusSeconds(60), 0), 1), window, 0).action())
                .isEqualTo(Replay.Action.SKIP);
        assertThat(decide(letter(retryable("provider-unavailable", T0.minusMillis(1), 0), 2), window, 0).action())
                .isEqualTo(Replay.Action.SKIP);
        assertThat(decide(unavailable, new ReplayFilter(Set.of(), null, null, Set.of("req-1")), 0).action())
                .isEqualTo(Replay.Action.REPLAY);
        assertThat(decide(unavailable, new ReplayFilter(Set.of(), null, null, Set.of("req-2")), 0).action())
                .isEqualTo(Replay.Action.SKIP);
        assertThat(decide(letter(poison("not-a-request", 0), 3), new ReplayFilter(Set.of(), null, null,
                Set.of("req-1")), 0).action()).as("a poison record's key is sealed: it has no request id")
                .isEqualTo(Replay.Action.SKIP);
    }

    @Test
    void aDeadLetterReplayedMaxReplaysTimesAlreadyIsParkedAndOneLessIsReplayed() {
        assertThat(decide(letter(retryable("provider-call-failed", T0, 2), 0), ReplayFilter.NONE, 3).action())
                .isEqualTo(Replay.Action.REPLAY);
        Replay.Decision parked = decide(letter(retryable("provider-call-failed", T0, 3), 1), ReplayFilter.NONE, 3);
        assertThat(parked.action()).isEqualTo(Replay.Action.PARK);
        assertThat(parked.why()).isEqualTo("replayed 3 times already (--max-replays 3)");
        assertThat(decide(letter(poison("processing-failed", 5), 2), ReplayFilter.NONE, 3).action())
                .as("a poison record's count counts too").isEqualTo(Replay.Action.PARK);
        assertThat(decide(letter(retryable("provider-call-failed", T0, 3), 1), ReplayFilter.NONE, 0).action())
                .as("no --max-replays").isEqualTo(Replay.Action.REPLAY);
    }

    @Test
    void whatCannotBeProducedAgainOrIsNoRequestIsParked() {
        ProducerRecord<byte[], byte[]> notSealed = new ProducerRecord<>(NAMES.retryableDeadLetters(), null,
                "req-9".getBytes(StandardCharsets.UTF_8), "[1,2]".getBytes(StandardCharsets.UTF_8),
                retryable("internal-error", T0, 0).headers());
        assertThat(decide(letter(notSealed, 0), ReplayFilter.NONE, 0).why())
                .isEqualTo("cannot be replayed: the value is not a sealed request as the worker writes one");

        ProducerRecord<byte[], byte[]> claim = SyntheticDeadLetters.poison(NAMES.poisonDeadLetters(),
                NAMES.nameClaims(), 4, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8),
                "processing-failed", T0, 0, CIPHER);
        Replay.Decision exchange = decide(letter(claim, 1), ReplayFilter.NONE, 0);
        assertThat(exchange.action()).isEqualTo(Replay.Action.PARK);
        assertThat(exchange.why()).contains("name exchange (" + NAMES.nameClaims() + "), not a request");

        ProducerRecord<byte[], byte[]> leftOut = poison("not-a-request", 0);
        leftOut.headers().add(DeadLetters.VALUE_LEFT_OUT, "2000000 bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(decide(letter(leftOut, 2), ReplayFilter.NONE, 0).why()).contains("without the record's value");
    }

    @Test
    void aRetryableDeadLetterGoesBackAsTheRequestItWasWithItsReplayCountOneHigher() throws Exception {
        ConsumerRecord<byte[], byte[]> in = SyntheticDeadLetters.read(retryable("provider-unavailable", T0, 1), 12);

        ProducerRecord<byte[], byte[]> out = Replay.replayed(in, DeadLetter.of(in), CIPHER, NAMES.requests());

        assertThat(out.topic()).isEqualTo(NAMES.requests());
        assertThat(new String(out.key(), StandardCharsets.UTF_8)).isEqualTo("req-1");
        assertThat(Json.MAPPER.readValue(out.value(), VerificationRequest.class)).isEqualTo(REQUEST);
        assertThat(header(out.headers(), DeadLetters.REPLAY_COUNT)).isEqualTo("2");
        assertThat(out.headers().toArray()).as("nothing of the dead letter's own headers").hasSize(1);
    }

    @Test
    void aPoisonDeadLetterGoesBackAsTheBytesItWas() {
        byte[] key = TestIds.idNumber(8).getBytes(StandardCharsets.UTF_8);
        byte[] value = {(byte) 0xC0, 'n', 'o', 't', ' ', 'j', 's', 'o', 'n'};
        ConsumerRecord<byte[], byte[]> in = SyntheticDeadLetters.read(SyntheticDeadLetters.poison(
                NAMES.poisonDeadLetters(), NAMES.requests(), 31, key, value, "not-a-request", T0, 0, CIPHER), 5);

        ProducerRecord<byte[], byte[]> out = Replay.replayed(in, DeadLetter.of(in), CIPHER, NAMES.requests());

        assertThat(out.key()).isEqualTo(key);
        assertThat(out.value()).isEqualTo(value);
        assertThat(header(out.headers(), DeadLetters.REPLAY_COUNT)).isEqualTo("1");
    }

    @Test
    void aDeadLetterSealedUnderAnotherKeysetDoesNotOpenAndSaysWhichKeyItNeeds() {
        FieldCipher other = new FieldCipher(Keyset.generate());
        ConsumerRecord<byte[], byte[]> in = SyntheticDeadLetters.read(SyntheticDeadLetters.retryable(
                NAMES.retryableDeadLetters(), NAMES.requests(), 3, REQUEST, "internal-error", T0, 0, other), 0);
        DeadLetter letter = DeadLetter.of(in);

        assertThatThrownBy(() -> Replay.replayed(in, letter, CIPHER, NAMES.requests()))
                .isInstanceOf(FieldCipher.UnopenedEnvelope.class)
                .hasMessageContaining("key " + letter.keyId())
                .hasMessageNotContaining(REQUEST.name()).hasMessageNotContaining(REQUEST.idNumber());
    }

    @Test
    void aParkedDeadLetterKeepsItsKeyValueAndHeadersAndSaysWhyAndWhereItWas() {
        ConsumerRecord<byte[], byte[]> in = SyntheticDeadLetters.read(retryable("provider-call-failed", T0, 3), 40);

        ProducerRecord<byte[], byte[]> out = Replay.parked(in, DeadLetter.of(in), "replayed 3 times already",
                NAMES.parkedDeadLetters());

        assertThat(out.topic()).isEqualTo(NAMES.parkedDeadLetters());
        assertThat(out.key()).isEqualTo(in.key());
        assertThat(out.value()).isEqualTo(in.value());
        assertThat(out.headers().toArray()).startsWith(in.headers().toArray());
        assertThat(header(out.headers(), DeadLetters.PARKED_REASON)).isEqualTo("replayed 3 times already");
        assertThat(header(out.headers(), DeadLetters.PARKED_FROM)).isEqualTo(NAMES.retryableDeadLetters() + "-0@40");
        assertThat(header(out.headers(), DeadLetters.REPLAY_COUNT)).as("still the count it failed with").isEqualTo("3");
    }

    @Test
    void aDeadLetterIsReadWithoutTheKeysetAndItsTimeFallsBackToTheRecordTimestamp() {
        DeadLetter retryable = letter(retryable("provider-throttled", T0, 2), 7);
        assertThat(retryable.requestId()).isEqualTo("req-1");
        assertThat(retryable.failedAt()).isEqualTo(T0);
        assertThat(retryable.replayCount()).isEqualTo(2);
        assertThat(retryable.keyId()).isEqualTo(Integer.toUnsignedLong(FieldCipher.keyId(
                retryable.request().sealed().fields())));
        assertThat(retryable.where()).isEqualTo(NAMES.retryableDeadLetters() + "-0@7");

        DeadLetter poison = letter(poison("not-a-request", 0), 1);
        assertThat(poison.sealedWhole()).isTrue();
        assertThat(poison.keyId()).isEqualTo(retryable.keyId());

        RecordHeaders noTime = new RecordHeaders();
        noTime.add(DeadLetters.REASON_CODE, "internal-error".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> bare = new ConsumerRecord<>("t", 0, 0, T0.toEpochMilli() + 5,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, null, null, noTime,
                java.util.Optional.empty());
        assertThat(DeadLetter.of(bare).failedAt()).isEqualTo(T0.plusMillis(5));
        assertThat(DeadLetter.of(bare).unreadable()).isEqualTo("the dead letter has no value");
    }

    @Test
    void aTallyKeepsTheOldestAndNewestWhateverTheOrder() {
        Tally tally = Tally.NONE.plus(T0.plusSeconds(5)).plus(T0).plus(T0.plusSeconds(9)).plus(T0.plusSeconds(1));
        assertThat(tally).isEqualTo(new Tally(4, T0, T0.plusSeconds(9)));
        assertThat(tally.toString()).isEqualTo("4, oldest 2026-11-30T02:00:00Z, newest 2026-11-30T02:00:09Z");
        assertThat(Tally.NONE.toString()).isEqualTo("0");
    }

    private static Replay.Decision decide(DeadLetter letter, ReplayFilter filter, int maxReplays) {
        return Replay.decide(letter, new Replay.Options(NAMES.retryableDeadLetters(), NAMES.requests(),
                NAMES.parkedDeadLetters(), "g", filter, 0, maxReplays, 0, false, 0), NAMES);
    }

    private static DeadLetter letter(ProducerRecord<byte[], byte[]> record, long offset) {
        return DeadLetter.of(SyntheticDeadLetters.read(record, offset));
    }

    private static ProducerRecord<byte[], byte[]> retryable(String reason, Instant failedAt, int replays) {
        return SyntheticDeadLetters.retryable(NAMES.retryableDeadLetters(), NAMES.requests(), 3, REQUEST, reason,
                failedAt, replays, CIPHER);
    }

    private static ProducerRecord<byte[], byte[]> poison(String reason, int replays) {
        return SyntheticDeadLetters.poison(NAMES.poisonDeadLetters(), NAMES.requests(), 9,
                "k".getBytes(StandardCharsets.UTF_8), "not json".getBytes(StandardCharsets.UTF_8), reason, T0,
                replays, CIPHER);
    }
}
