package com.facecheck.bench;

import com.facecheck.contract.Json;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.crypto.Keyset;
import com.facecheck.crypto.SealedRequest;
import com.facecheck.topology.CheckedRequest;
import com.facecheck.topology.JsonSerde;
import com.facecheck.topology.Pending;
import com.facecheck.topology.TopicNames;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Deserializer;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What sealing costs the records that rest in Kafka with a request in them, written and read as the worker does
 * (the serdes of {@code Topics}): the by-person repartition record, with the typical request's 40 KB photo, and a
 * pending request, which keeps no photo. Each under three serdes: {@code encrypted}, as shipped (AES-256-GCM under a
 * new keyset); {@code unencrypted}, the same serde and records of the same size and form with
 * {@link PassThroughAead} in the keyset's place, so that the difference is the cryptography alone; {@code plain},
 * the product's JSON without any sealing, as these records were before. The size of each record is printed at the
 * start of its runs. Run with {@code bench/run SerdeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SerdeBenchmark {

    /** The serdes name it only in their errors. */
    private static final String TOPIC = "benchmark";

    @Param({"encrypted", "unencrypted", "plain"})
    public String serde;

    private CheckedRequest checked;
    private Pending pending;
    private Serializer<CheckedRequest> checkedWriter;
    private Deserializer<CheckedRequest> checkedReader;
    private Serializer<Pending> pendingWriter;
    private Deserializer<Pending> pendingReader;
    private byte[] checkedBytes;
    private byte[] pendingBytes;

    @Setup
    public void makeRecords() {
        String photo = BenchPhotos.typical40kJpeg();
        VerificationRequest request = new VerificationRequest("3f2b8c1e-6d4a-4f0e-9b7a-2c5d8e1f0a93", "欧阳娜娜",
                "35020319900101123X", photo, null, "consent-2024-000187", "mobile-onboarding",
                Json.MAPPER.createObjectNode().put("channel", "app").put("branch", "0571"));
        // As the check leaves it: keyed by the hashes of the person's ID number and name, with where it was read.
        checked = new CheckedRequest("id:" + "7c1f".repeat(16), "5ab0".repeat(16), request, null,
                TopicNames.defaults().requests(), 2, 1_048_576L, 0, 1_767_225_600_000L);
        CheckedRequest withoutPhoto = new CheckedRequest(checked.personKey(), checked.nameKey(),
                request.withoutImage(), null, checked.sourceTopic(), checked.sourcePartition(), checked.sourceOffset(),
                0, checked.receivedAt());
        pending = new Pending(withoutPhoto, 41, Pending.Stage.CALLING, 1, 1_767_225_600_120L, 1_767_225_600_300L,
                1_767_225_601_300L);

        JsonSerde<CheckedRequest> checkedSerde;
        JsonSerde<Pending> pendingSerde;
        if (serde.equals("plain")) {
            checkedSerde = new JsonSerde<>(CheckedRequest.class);
            pendingSerde = new JsonSerde<>(Pending.class);
        } else {
            Keyset keyset = Keyset.generate();
            // The keyset's key id in both, so that the two write records of exactly the same size.
            FieldCipher cipher = serde.equals("encrypted") ? new FieldCipher(keyset)
                    : new FieldCipher(new PassThroughAead(keyset.primaryId()));
            ObjectMapper sealing = SealedRequest.mapper(cipher);
            checkedSerde = new JsonSerde<>(CheckedRequest.class, sealing);
            pendingSerde = new JsonSerde<>(Pending.class, sealing);
        }
        checkedWriter = checkedSerde.serializer();
        checkedReader = checkedSerde.deserializer();
        pendingWriter = pendingSerde.serializer();
        pendingReader = pendingSerde.deserializer();
        checkedBytes = writeCheckedRequest();
        pendingBytes = writePending();
        if (!readCheckedRequest().equals(checked) || !readPending().equals(pending)) {
            throw new IllegalStateException("the " + serde + " serdes do not read back what they wrote");
        }
        System.out.printf(Locale.ROOT, "%n%s: CheckedRequest %d bytes (photo %d bytes), Pending %d bytes%n",
                serde, checkedBytes.length, BenchPhotos.bytes(photo), pendingBytes.length);
    }

    @Benchmark
    public byte[] writeCheckedRequest() {
        return checkedWriter.serialize(TOPIC, checked);
    }

    @Benchmark
    public CheckedRequest readCheckedRequest() {
        return checkedReader.deserialize(TOPIC, checkedBytes);
    }

    @Benchmark
    public byte[] writePending() {
        return pendingWriter.serialize(TOPIC, pending);
    }

    @Benchmark
    public Pending readPending() {
        return pendingReader.deserialize(TOPIC, pendingBytes);
    }
}
