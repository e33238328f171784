package com.facecheck.cli;

import static com.facecheck.testing.SyntheticDeadLetters.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Json;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.Keyset;
import com.facecheck.identity.Masking;
import com.facecheck.ops.OutputReader;
import com.facecheck.ops.TopicSetup;
import com.facecheck.testing.CliRun;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.SyntheticDeadLetters;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.DeadLetters;
import com.facecheck.topology.TopicNames;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay} and {@code dlq} against the real broker, on dead letters made in the worker's forms: what is
 * parked, what the filters take and what the group then remembers, poison records, a missing key, and the masked
 * view. The worker's own dead letters and a killed replay are {@code ReplayThroughBrokerTest}'s.
 */
class ReplayAndDlqCommandsTest {

    private static final Keyset KEYSET = Keyset.generate();
    private static final FieldCipher CIPHER = new FieldCipher(KEYSET);
    private static final Map<String, String> ENV = Map.of(Keyset.ENV, KEYSET.toJson());
    private static final Instant T0 = Instant.parse("2026-11-30T02:00:00Z");
    private static final String IMAGE = TestImages.jpegBase64(320, 400);

    @TempDir
    Path dir;

    @Test
    void maxReplaysParksWhatWasReplayedThatOftenAlreadyAndReplaysTheRest() throws Exception {
        Setup s = setup("rt-park.");
        s.send(List.of(s.retryable(0, "provider-call-failed", T0, 0), s.retryable(1, "provider-call-failed", T0, 1),
                s.retryable(2, "provider-call-failed", T0, 2), s.retryable(3, "internal-error", T0, 5)));

        CliRun run = s.replay("--max-replays", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Replayed 2 to " + s.names.requests() + ", parked 2 to "
                + s.names.parkedDeadLetters() + ", skipped by filter 0 (from " + s.names.retryableDeadLetters()
                + ", group facecheck-replay).");
        List<ConsumerRecord<String, byte[]>> replayed = s.read(s.names.requests());
        assertThat(replayed).extracting(ConsumerRecord::key).containsExactly(s.id(0), s.id(1));
        assertThat(replayed).extracting(r -> header(r.headers(), DeadLetters.REPLAY_COUNT)).containsExactly("1", "2");
        assertThat(Json.MAPPER.readValue(replayed.get(0).value(), VerificationRequest.class))
                .as("the request as it was, opened").isEqualTo(s.request(0));

        List<ConsumerRecord<String, byte[]>> deadLetters = s.read(s.names.retryableDeadLetters());
        List<ConsumerRecord<String, byte[]>> parked = s.read(s.names.parkedDeadLetters());
        assertThat(parked).extracting(ConsumerRecord::key).containsExactly(s.id(2), s.id(3));
        assertThat(parked.get(0).value()).as("unchanged, still sealed").isEqualTo(deadLetters.get(2).value());
        assertThat(parked).extracting(r -> header(r.headers(), DeadLetters.PARKED_REASON)).containsExactly(
                "replayed 2 times already (--max-replays 2)", "replayed 5 times already (--max-replays 2)");
        assertThat(parked).extracting(r -> header(r.headers(), DeadLetters.PARKED_FROM)).containsExactly(
                s.names.retryableDeadLetters() + "-0@2", s.names.retryableDeadLetters() + "-0@3");
        assertThat(header(parked.get(1).headers(), DeadLetters.REASON_CODE)).isEqualTo("internal-error");

        CliRun again = s.replay("--max-replays", "2");
        assertThat(again.out()).startsWith("Replayed 0 to ").contains("parked 0 to");
        assertThat(s.read(s.names.requests())).hasSize(2);
        assertThat(s.read(s.names.parkedDeadLetters())).hasSize(2);
    }

    @Test
    void filtersTakeTheirPartTheGroupPassesOverTheRestAndALimitLeavesItForTheNextRun() throws Exception {
        Setup s = setup("rt-filter.");
        s.send(List.of(s.retryable(0, "provider-unavailable", T0, 0),
                s.retryable(1, "internal-error", T0.plus(Duration.ofMinutes(10)), 0),
                s.retryable(2, "provider-unavailable", T0.plus(Duration.ofMinutes(20)), 0),
                s.retryable(3, "provider-call-failed", T0.plus(Duration.ofMinutes(30)), 0),
                s.retryable(4, "provider-unavailable", T0.plus(Duration.ofMinutes(40)), 0)));

        CliRun dry = s.replay("--dry-run", "--reason", "provider-unavailable", "--since", "2026-11-30T10:05:00+08:00",
                "--show", "1");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).startsWith("Dry run, nothing produced and no progress committed: a replay from "
                + s.names.retryableDeadLetters() + " under group facecheck-replay would replay 2 to "
                + s.names.requests() + ", park 0 to " + s.names.parkedDeadLetters() + ", skip 3.")
                .contains("  provider-unavailable: replay 2, oldest 2026-11-30T02:20:00Z, newest 2026-11-30T02:40:00Z;"
                        + " skip 1, oldest 2026-11-30T02:00:00Z, newest 2026-11-30T02:00:00Z")
                .contains("  internal-error: skip 1, oldest 2026-11-30T02:10:00Z")
                .doesNotContain(s.request(2).name()).doesNotContain(s.request(2).idNumber());
        List<String> samples = dry.out().lines().filter(line -> line.startsWith("{")).toList();
        assertThat(samples).hasSize(1);
        assertThat(Json.MAPPER.readTree(samples.get(0)).path("value").path("name").asText())
                .isEqualTo(Masking.name(s.request(2).name()));
        assertThat(s.read(s.names.requests())).as("a dry run produces nothing").isEmpty();

        CliRun partial = s.replay("--group", "outage", "--reason", "provider-unavailable",
                "--until", "2026-11-30T02:30:00Z");
        assertThat(partial.out()).startsWith("Replayed 2 to").contains("skipped by filter 3 (from")
                .contains("Group outage has read past what the filter skipped and will not offer it again");
        assertThat(s.read(s.names.requests())).extracting(ConsumerRecord::key).containsExactly(s.id(0), s.id(2));
        assertThat(s.replay("--group", "outage").out()).as("the group passed over the rest for good")
                .startsWith("Replayed 0 to");

        CliRun one = s.replay("--group", "one-request", "--request-id", s.id(3));
        assertThat(one.out()).startsWith("Replayed 1 to").contains("skipped by filter 4");

        List<String> limited = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            limited.add(s.replay("--group", "in-steps", "--limit", "2").out());
        }
        assertThat(limited.get(0)).startsWith("Replayed 2 to").contains("Stopped before the end of "
                + s.names.retryableDeadLetters() + " (--limit 2 reached): run replay again to go on.");
        assertThat(limited.get(1)).startsWith("Replayed 2 to").contains("--limit 2 reached");
        assertThat(limited.get(2)).startsWith("Replayed 1 to").doesNotContain("Stopped");
        assertThat(s.read(s.names.requests())).extracting(ConsumerRecord::key).containsExactly(s.id(0), s.id(2),
                s.id(3), s.id(0), s.id(1), s.id(2), s.id(3), s.id(4));
    }

    @Test
    void poisonDeadLettersGoBackAsTheBytesTheyWereAndRecordsOfTheNameExchangeAreParked() throws Exception {
        Setup s = setup("rt-poison.");
        String idNumber = TestIds.idNumber(61_001);
        byte[] gbk = ("{\"name\":\"" + TestIds.name(61_001) + "\"}").getBytes(java.nio.charset.Charset.forName("GBK"));
        s.send(List.of(SyntheticDeadLetters.poison(s.names.poisonDeadLetters(), s.names.requests(), 17,
                        idNumber.getBytes(StandardCharsets.UTF_8), gbk, "not-a-request", T0, 0, CIPHER),
                SyntheticDeadLetters.poison(s.names.poisonDeadLetters(), s.names.nameClaims(), 4,
                        "claim".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8),
                        "processing-failed", T0, 0, CIPHER)));

        CliRun run = s.replay("--from", s.names.poisonDeadLetters());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Replayed 1 to " + s.names.requests() + ", parked 1 to")
                .doesNotContain(idNumber);
        List<ConsumerRecord<String, byte[]>> replayed = s.read(s.names.requests());
        assertThat(replayed).hasSize(1);
        assertThat(replayed.get(0).key()).isEqualTo(idNumber);
        assertThat(replayed.get(0).value()).isEqualTo(gbk);
        assertThat(header(replayed.get(0).headers(), DeadLetters.REPLAY_COUNT)).isEqualTo("1");
        List<ConsumerRecord<String, byte[]>> parked = s.read(s.names.parkedDeadLetters());
        assertThat(parked).hasSize(1);
        assertThat(header(parked.get(0).headers(), DeadLetters.PARKED_REASON)).contains("name exchange");

        CliRun dlq = CliRun.withEnvironment(ENV, "dlq", "--bootstrap-servers", KafkaBroker.bootstrapServers(),
                "--config", s.config.toString(), "--show", "5");
        assertThat(dlq.out()).as("a parked poison record is shown as one: sealed, by its size")
                .contains("\"topic\":\"" + s.names.parkedDeadLetters() + "\"", "\"key\":\"sealed\"")
                .doesNotContain(idNumber).doesNotContain(TestIds.name(61_001));
    }

    @Test
    void dlqCountsEachTopicByReasonWithItsOldestAndNewestAndShowsDeadLettersMasked() throws Exception {
        Setup s = setup("rt-dlq.");
        s.send(List.of(s.retryable(0, "provider-unavailable", T0.plusSeconds(30), 0),
                s.retryable(1, "provider-unavailable", T0, 1),
                s.retryable(2, "internal-error", T0.plusSeconds(90), 0)));
        s.send(List.of(SyntheticDeadLetters.poison(s.names.poisonDeadLetters(), s.names.requests(), 3,
                null, "not json".getBytes(StandardCharsets.UTF_8), "not-a-request", T0.plusSeconds(5), 0, CIPHER)));
        String keyId = Integer.toUnsignedString(KEYSET.primaryId());

        CliRun withoutKeyset = CliRun.withEnvironment(Map.of(), "dlq", "--bootstrap-servers",
                KafkaBroker.bootstrapServers(), "--config", s.config.toString(), "--show", "2");

        assertThat(withoutKeyset.exitCode()).as(withoutKeyset.err()).isZero();
        List<String> lines = withoutKeyset.out().lines().toList();
        assertThat(lines.subList(0, 5)).containsExactly(
                s.names.retryableDeadLetters() + ": 3, oldest 2026-11-30T02:00:00Z, newest 2026-11-30T02:01:30Z",
                "  provider-unavailable: 2, oldest 2026-11-30T02:00:00Z, newest 2026-11-30T02:00:30Z",
                "  internal-error: 1, oldest 2026-11-30T02:01:30Z, newest 2026-11-30T02:01:30Z",
                "  replayed before: 2 never, 1 once",
                "  sealed under key " + keyId + ": 3 (set FACECHECK_KEYSET to check the keyset holds it)");
        List<String> shown = lines.stream().filter(line -> line.startsWith("{")).toList();
        assertThat(shown).hasSize(3);
        assertThat(Json.MAPPER.readTree(shown.get(0)).path("value").path("name").asText())
                .isEqualTo(Masking.name(s.request(0).name()));
        assertThat(lines).contains(s.names.poisonDeadLetters() + ": 1, oldest 2026-11-30T02:00:05Z, newest"
                + " 2026-11-30T02:00:05Z",
                "  not-a-request: 1, oldest 2026-11-30T02:00:05Z, newest 2026-11-30T02:00:05Z",
                s.names.parkedDeadLetters() + ": none");
        for (int i = 0; i < 3; i++) {
            assertThat(withoutKeyset.out()).doesNotContain(s.request(i).name()).doesNotContain(s.request(i).idNumber())
                    .doesNotContain(IMAGE.substring(0, 40));
        }

        CliRun holds = CliRun.withEnvironment(ENV, "dlq", "--bootstrap-servers", KafkaBroker.bootstrapServers(),
                "--config", s.config.toString());
        assertThat(holds.out()).contains("  sealed under key " + keyId + ": 3 (the keyset holds it)")
                .doesNotContain("{");
        CliRun lacks = CliRun.withEnvironment(Map.of(Keyset.ENV, Keyset.generate().toJson()), "dlq",
                "--bootstrap-servers", KafkaBroker.bootstrapServers(), "--config", s.config.toString());
        assertThat(lacks.out()).contains("  sealed under key " + keyId + ": 3 (NOT in the keyset");
    }

    @Test
    void aReplayWithoutTheKeyThatSealedADeadLetterStopsThereAndGoesOnOnceTheKeysetHoldsIt() throws Exception {
        Setup s = setup("rt-keys.");
        Keyset rotated = KEYSET.withNewKey();
        int newKey = rotated.keys().stream().filter(k -> !k.primary()).findFirst().orElseThrow().id();
        rotated = rotated.promote(newKey);
        FieldCipher underNewKey = new FieldCipher(rotated);
        s.send(List.of(s.retryable(0, "provider-unavailable", T0, 0), s.retryable(1, "provider-unavailable", T0, 0),
                s.retryable(2, "provider-unavailable", T0, 0, underNewKey),
                s.retryable(3, "provider-unavailable", T0, 0, underNewKey),
                s.retryable(4, "provider-unavailable", T0, 0)));

        CliRun noKeyset = CliRun.withEnvironment(Map.of(), "replay", "--bootstrap-servers",
                KafkaBroker.bootstrapServers(), "--config", s.config.toString());
        assertThat(noKeyset.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(noKeyset.err().strip()).doesNotContain("\n").startsWith("facecheck replay: no keyset: a replay opens"
                + " the sealed dead letters").contains("FACECHECK_KEYSET_FILE");

        CliRun lacking = s.replay();

        assertThat(lacking.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(lacking.out()).startsWith("Replayed 2 to");
        assertThat(lacking.err().strip()).isEqualTo("facecheck replay: the keyset lacks key "
                + Integer.toUnsignedString(newKey) + " that sealed 2 of the dead letters to replay (the first at "
                + s.names.retryableDeadLetters() + "-0@2); the replay stopped there, everything before it is replayed:"
                + " add the key back to the keyset, or set FACECHECK_KEYSET (or FACECHECK_KEYSET_FILE) to the keyset"
                + " the worker used, then run replay again");
        assertThat(s.read(s.names.requests())).extracting(ConsumerRecord::key).containsExactly(s.id(0), s.id(1));

        CliRun withRotated = CliRun.withEnvironment(Map.of(Keyset.ENV, rotated.toJson()), "replay",
                "--bootstrap-servers", KafkaBroker.bootstrapServers(), "--config", s.config.toString());
        assertThat(withRotated.exitCode()).as(withRotated.err()).isZero();
        assertThat(withRotated.out()).startsWith("Replayed 3 to");
        assertThat(s.read(s.names.requests())).extracting(ConsumerRecord::key)
                .containsExactly(s.id(0), s.id(1), s.id(2), s.id(3), s.id(4));
    }

    @Test
    void aStopEndsTheReplayBeforeItsNextBatchAndTheNextRunGoesOnFromThere() throws Exception {
        Setup s = setup("rt-stop.");
        s.send(List.of(s.retryable(0, "provider-unavailable", T0, 0), s.retryable(1, "provider-unavailable", T0, 0)));
        StopSignal stop = StopSignal.manual();
        stop.request(); // before the first batch: the stop a SIGTERM makes, at the earliest moment it can come
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = List.of("replay", "--bootstrap-servers", KafkaBroker.bootstrapServers(), "--config",
                s.config.toString());

        int code = FacecheckCli.execute(args.toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(err, true), ENV, () -> stop);

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Replayed 0 to").contains("  Stopped before the end of "
                + s.names.retryableDeadLetters() + " (stopped by a signal): run replay again to go on.");
        assertThat(s.read(s.names.requests())).isEmpty();
        assertThat(s.replay().out()).startsWith("Replayed 2 to");
    }

    @Test
    void optionsThatWouldPassOverEverythingOrMeanNothingAreRefused() throws Exception {
        Setup s = setup("rt-options.");
        CliRun typo = s.replay("--reason", "provider-unavailabel");
        assertThat(typo.exitCode()).isEqualTo(FacecheckCli.USAGE);
        assertThat(typo.err().strip()).isEqualTo("facecheck replay: --reason provider-unavailabel is no reason code of"
                + " a dead letter: give one of provider-call-failed, provider-throttled, provider-unavailable,"
                + " internal-error, not-a-request, processing-failed");
        assertThat(s.replay("--show", "2").err()).contains("--show N goes with --dry-run");
        assertThat(s.replay("--rate", "0").err()).contains("--rate must be at least 1");
        assertThat(s.replay("--since", "2026-11-30T03:00:00Z", "--until", "2026-11-30T02:00:00Z").err().strip())
                .isEqualTo("facecheck replay: the time range is empty: 2026-11-30T03:00:00Z is not before"
                        + " 2026-11-30T02:00:00Z");
        assertThat(s.replay("--since", "yesterday").err()).contains("'yesterday' is no time");
        assertThat(s.replay("--to", s.names.retryableDeadLetters()).err())
                .contains("cannot write back to it");
    }

    /** One test's topics, configuration file and dead letters. */
    private final class Setup {

        final TopicNames names;
        final Path config;

        Setup(TopicNames names, Path config) {
            this.names = names;
            this.config = config;
        }

        String id(int i) {
            return names.requests() + "-" + i;
        }

        VerificationRequest request(int i) {
            return new VerificationRequest(id(i), TestIds.name(62_000 + i), TestIds.idNumber(62_000 + i), IMAGE, null,
                    "consent-" + i, "onboarding", null);
        }

        ProducerRecord<byte[], byte[]> retryable(int i, String reason, Instant failedAt, int replayCount) {
            return retryable(i, reason, failedAt, replayCount, CIPHER);
        }

        ProducerRecord<byte[], byte[]> retryable(int i, String reason, Instant failedAt, int replayCount,
                                                 FieldCipher cipher) {
            return SyntheticDeadLetters.retryable(names.retryableDeadLetters(), names.requests(), i, request(i),
                    reason, failedAt, replayCount, cipher);
        }

        void send(List<ProducerRecord<byte[], byte[]>> records) {
            Traffic.sendAll(KafkaBroker.bootstrapServers(), records);
        }

        CliRun replay(String... options) {
            List<String> args = new ArrayList<>(List.of("replay", "--bootstrap-servers", KafkaBroker.bootstrapServers(),
                    "--config", config.toString()));
            args.addAll(List.of(options));
            return CliRun.withEnvironment(ENV, args.toArray(String[]::new));
        }

        /** The committed records of {@code topic}, in order (one partition). */
        List<ConsumerRecord<String, byte[]>> read(String topic) {
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            try (OutputReader reader = new OutputReader(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    KafkaBroker.bootstrapServers()), List.of(topic), true)) {
                Map<TopicPartition, Long> ends = reader.ends();
                while (!reader.reached(ends)) {
                    records.addAll(reader.poll(Duration.ofMillis(100)));
                }
            }
            return records;
        }
    }

    /** Topics of one partition, so that order is offset order. */
    private Setup setup(String prefix) throws Exception {
        TopicNames names = TestTopics.prefixed(prefix);
        TopicSetup.createMissing(KafkaBroker.bootstrapServers(), names, 1, (short) 1);
        Path config = Files.writeString(dir.resolve(prefix + "yaml"), TestTopics.yaml(names));
        return new Setup(names, config);
    }
}
