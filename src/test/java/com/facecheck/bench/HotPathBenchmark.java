package com.facecheck.bench;

import com.facecheck.app.BuildVersion;
import com.facecheck.contract.AuditRecord;
import com.facecheck.contract.Json;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.RequestParser;
import com.facecheck.contract.VerificationResult;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.Keyset;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.local.TempDirs;
import com.facecheck.provider.Credentials;
import com.facecheck.testing.TestIds;
import com.facecheck.topology.Admission;
import com.facecheck.topology.CapCheck;
import com.facecheck.topology.TopicNames;
import com.facecheck.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the steps around a call cost a typical request (the 40 KB photo) on the stream thread, besides the checks
 * before it ({@code IdentityBenchmark.validateTypicalRequest} parses and validates the request as the topology's first
 * step does) and the sealed records ({@code SerdeBenchmark}): the cap decision before the call, the call's
 * signature, and writing its result with the audit record. Run with {@code bench/run HotPathBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HotPathBenchmark {

    /** 2026-01-01T00:00Z: the worker's clock, where it matters, at a fixed time. */
    private static final long NOW = 1_767_225_600_000L;
    private static final KeyedHasher KEYS =
            new KeyedHasher("benchmark-secret-0123456789".getBytes(StandardCharsets.UTF_8));

    private Credentials signature;
    private Map<String, String> form;
    private VerificationResult result;
    private String resultTopic;
    private String auditTopic;
    private String workerVersion;
    private Serializer<VerificationResult> resultWriter;
    private Serializer<AuditRecord> auditWriter;

    @Setup
    public void makeCallAndResult() {
        signature = new Credentials.SignatureAuth("203817519", "bench-app-secret-7d1c0f4e9a2b8e36");
        // The form HttpProvider posts: name, ID number and photo.
        form = Map.of("xm", "欧阳娜娜", "sfz", "35020319900101123X", "img", BenchPhotos.typical40kJpeg());
        // A verified answer, as the result the docs show: masked name, personId, the request's metadata.
        result = new VerificationResult("3f2b8c1e-6d4a-4f0e-9b7a-2c5d8e1f0a93", Outcome.VERIFIED.code(),
                Outcome.VERIFIED.outcomeName(), true, Outcome.VERIFIED.providerMessage(), null,
                KEYS.hex("id-number", "35020319900101123X"), "欧阳**", null, null, null, null, "billed", 1,
                VerificationResult.DECIDED_BY_PROVIDER, "5B2F6C1E-9A0D-4B7E-8F11-2C3D4E5F6A7B",
                "consent-2024-000187", "mobile-onboarding", Instant.ofEpochMilli(NOW),
                Instant.ofEpochMilli(NOW + 412), Json.MAPPER.createObjectNode().put("channel", "app")
                .put("branch", "0571"));
        Topics topics = new Topics(TopicNames.defaults(), new RequestParser(KEYS), new FieldCipher(Keyset.generate()));
        resultTopic = topics.names().resultTopic(Outcome.VERIFIED);
        auditTopic = topics.audit().name();
        resultWriter = topics.resultSerde().serializer();
        auditWriter = topics.audit().valueSerde().serializer();
        workerVersion = BuildVersion.current();
    }

    /** The gateway's HMAC-SHA256 signature of one call: its string to sign holds the whole photo. */
    @Benchmark
    public Map<String, String> signCall() {
        return signature.headers("POST", "/facecheck", form);
    }

    /** A result as serving a person writes it: the result, then its audit record, each to bytes. */
    @Benchmark
    public void writeResult(Blackhole written) {
        written.consume(resultWriter.serialize(resultTopic, result));
        written.consume(auditWriter.serialize(auditTopic, AuditRecord.of(result, workerVersion, 0)));
    }

    /** The cap decision before a call, for a key that has its last place left; see {@link Ledger}. */
    @Benchmark
    public boolean reserveLastPlace(Ledger ledger) {
        return ledger.check.reserve(ledger.key, Ledger.REQUEST, NOW);
    }

    /**
     * A day's ledger of one cap (per ID number, or per name, each at its default), in the store the topology gives
     * it: 20,000 other keys with up to cap − 1 places each, spread over the last 24 hours, and the benchmarked key,
     * which holds cap − 2 places and the benchmarked request's. Asked again for that request's place, the ledger counts
     * it twice, as it would count a new request beside it, and so does the work of granting a key its last place
     * (every place of the key in the windows around now read, one written); the place is written over itself, so the
     * ledger stays as it was.
     */
    @State(Scope.Benchmark)
    public static class Ledger {

        private static final String REQUEST = "bench-request";
        private static final int OTHER_KEYS = 20_000;
        private static final Duration WINDOW = Admission.DEFAULT_WINDOW;

        @Param({"per-id", "per-name"})
        public String cap;

        private Path dir;
        private CapCheck check;
        private String key;

        @Setup
        public void fill() {
            int places = cap.equals("per-id") ? Admission.DEFAULT_PER_ID : Admission.DEFAULT_PER_NAME;
            dir = TempDirs.create("facecheck-bench-caps-");
            check = new CapCheck(dir, WINDOW, places);
            long spacing = WINDOW.toMillis() / places;
            for (int k = 0; k < OTHER_KEYS; k++) {
                String other = KEYS.hex(cap, TestIds.idNumber(k));
                for (int p = 0; p < k % places; p++) {
                    check.reserve(other, "request-" + k + "-" + p, NOW - (p + 1) * spacing + k);
                }
            }
            key = KEYS.hex(cap, TestIds.idNumber(OTHER_KEYS));
            for (int p = 0; p < places - 2; p++) {
                check.reserve(key, "request-" + p, NOW - (p + 1) * spacing);
            }
            // Guards against measuring a refusal, which writes nothing, after a change to the ledger above.
            if (!check.reserve(key, REQUEST, NOW) || !check.reserve(key, REQUEST, NOW)) {
                throw new IllegalStateException("the benchmarked request is refused its place");
            }
        }

        @TearDown
        public void close() {
            check.close();
            TempDirs.delete(dir);
        }
    }
}
