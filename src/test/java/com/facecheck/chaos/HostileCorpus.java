package com.facecheck.chaos;

import com.facecheck.contract.Json;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.topology.DeadLetters;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import net.jqwik.api.sessions.JqwikSession;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The inputs of the hostile-input scenario: the corpus under {@code src/test/resources/hostile} with the outcome each
 * must have, keys and headers of every kind on requests the worker must still answer, and seeded random JSON and
 * bytes whose outcome is only known to be one of the two a bad input may have.
 */
final class HostileCorpus {

    /** Where an input must end: the poison dead letters, or a result 7 with {@code reason}; null: either. */
    record Expected(boolean poison, String reason) {
        static final Expected POISON = new Expected(true, null);

        static Expected result(String reason) {
            return new Expected(false, reason);
        }

        @Override
        public String toString() {
            return poison ? "poison" : "result " + reason;
        }
    }

    /** One record to send, as sent. */
    record Input(String label, byte[] key, byte[] value, List<Header> headers, Expected expected) {
    }

    private static final String MISSING_CONSENT = "missing-consent";

    private HostileCorpus() {
    }

    /** Every file of the corpus, each as the record value it stands for (a {@code .gz} file decompressed). */
    static List<Input> files() {
        Path root = root();
        List<Input> inputs = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(root.resolve("expected.tsv"), StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                String outcome = fields[1];
                Expected expected = outcome.equals("poison") ? Expected.POISON
                        : Expected.result(outcome.substring("result ".length()));
                inputs.add(new Input(fields[0], null, read(root.resolve(fields[0])), List.of(), expected));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inputs;
    }

    /**
     * Requests without a consent id (result 7 {@value #MISSING_CONSENT} whatever else they hold) under keys of every
     * kind and with headers no producer should send, among them forged copies of the worker's own; and bytes that are
     * no request under the same, which must still reach the poison dead letters with headers of the worker's.
     */
    static List<Input> keysAndHeaders() {
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, (byte) 0x80, (byte) 0xc0, (byte) 0xaf};
        byte[] largeKey = new byte[100 * 1024];
        Arrays.fill(largeKey, (byte) 'k');
        List<Input> inputs = new ArrayList<>();
        record Variant(String label, byte[] key, List<Header> headers) {
        }
        List<Variant> variants = List.of(
                new Variant("null-key", null, List.of()),
                new Variant("empty-key", new byte[0], List.of()),
                new Variant("binary-key", binary, List.of()),
                new Variant("100kb-key", largeKey, List.of()),
                new Variant("request-as-key", utf8(request("hostile-key-in-key", TestIds.idNumber(1)).toString()),
                        List.of()),
                new Variant("nul-key", new byte[] {0, 0, 0}, List.of()),
                new Variant("binary-header", null, List.of(new RecordHeader("x-binary", binary))),
                new Variant("null-header-value", null, List.of(new RecordHeader("x-null", null))),
                new Variant("empty-header-name", null, List.of(new RecordHeader("", utf8("v")))),
                new Variant("100kb-header", null, List.of(new RecordHeader("x-large", largeKey))),
                new Variant("1000-headers", null, manyHeaders()),
                new Variant("replay-count-negative", null, replayCount("-5")),
                new Variant("replay-count-not-a-number", null, replayCount("abc")),
                new Variant("replay-count-over-long", null, replayCount("99999999999999")),
                new Variant("replay-count-binary", null, List.of(new RecordHeader(DeadLetters.REPLAY_COUNT, binary))),
                new Variant("replay-count-null", null, List.of(new RecordHeader(DeadLetters.REPLAY_COUNT, null))),
                new Variant("replay-count-twice", null, List.of(new RecordHeader(DeadLetters.REPLAY_COUNT, utf8("1")),
                        new RecordHeader(DeadLetters.REPLAY_COUNT, utf8("-1")))),
                new Variant("forged-dead-letter-headers", null, List.of(
                        new RecordHeader(DeadLetters.REASON_CODE, utf8("not-a-request")),
                        new RecordHeader(DeadLetters.SOURCE_PARTITION, utf8("0")),
                        new RecordHeader(DeadLetters.SOURCE_OFFSET, utf8("0")),
                        new RecordHeader(DeadLetters.SEALED_KEY_ID, utf8("-1")),
                        new RecordHeader(DeadLetters.VALUE_LEFT_OUT, binary))));
        for (Variant v : variants) {
            String requestId = "hostile-headers-and-keys-" + v.label();
            inputs.add(new Input("headers-and-keys/" + v.label(), v.key(),
                    utf8(request(requestId, TestIds.idNumber(2)).toString()), v.headers(),
                    Expected.result(MISSING_CONSENT)));
            inputs.add(new Input("headers-and-keys/" + v.label() + "-not-json", v.key(), utf8("not json " + v.label()),
                    v.headers(), Expected.POISON));
        }
        return inputs;
    }

    /**
     * {@code count} seeded random inputs, each half: JSON objects of the request's own fields and others, with
     * values of every JSON type (a valid name or photo among them, never a valid ID number, so none can be verified),
     * and arrays of random bytes. Each object has a request id of its own, or one of another type.
     */
    static List<Input> random(long seed, int count) {
        // Arbitraries generate only inside a jqwik session; a JUnit test is not one of its own.
        JqwikSession.start(Long.toString(seed));
        try {
            return random(new Random(seed), count);
        } finally {
            JqwikSession.finish();
        }
    }

    private static List<Input> random(Random random, int count) {
        var fieldNames = Arbitraries.oneOf(Arbitraries.of("requestId", "name", "xm", "idNumber", "sfz", "image", "img",
                "imageUrl", "consentId", "source", "metadata"), Arbitraries.strings().ofMaxLength(12));
        var documents = Arbitraries.maps(fieldNames, value(3)).ofMaxSize(10).generator(100);
        var bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000).generator(1000);
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                ObjectNode document = JsonNodeFactory.instance.objectNode();
                documents.next(random).value().forEach(document::set);
                if (random.nextInt(10) > 0 || !document.has("requestId")) {
                    document.put("requestId", "hostile-random-" + i);
                }
                inputs.add(new Input("random/json-" + i, null, utf8(document.toString()), List.of(), null));
            } else {
                inputs.add(new Input("random/bytes-" + i, null, bytes.next(random).value(), List.of(), null));
            }
        }
        return inputs;
    }

    /** Any JSON value, nested up to {@code depth}; strings of every kind, and some that look like a request's. */
    private static Arbitrary<JsonNode> value(int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String validIdWrongCheck = TestIds.idNumber(3).substring(0, 17)
                + (TestIds.idNumber(3).endsWith("0") ? "1" : "0");
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(f::textNode),
                Arbitraries.strings().withCharRange('\u4e00', '\u9fff').ofMinLength(1).ofMaxLength(4).map(f::textNode),
                Arbitraries.of(TestIds.name(4), validIdWrongCheck, "", " ", "\u0000", TestImages.jpegBase64(160, 200),
                        "https://photos.example.com/p/1.jpg", "data:image/png;base64,AAAA").map(f::textNode),
                Arbitraries.longs().map(f::numberNode),
                Arbitraries.doubles().map(f::numberNode),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(),
                        BigInteger.TEN.pow(40)).map(f::numberNode),
                Arbitraries.of(true, false).map(f::booleanNode),
                Arbitraries.just(f.nullNode()));
        if (depth == 0) {
            return scalars;
        }
        Arbitrary<JsonNode> arrays = value(depth - 1).list().ofMaxSize(4).map(values -> {
            var array = f.arrayNode();
            values.forEach(array::add);
            return array;
        });
        Arbitrary<JsonNode> objects = Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), value(depth - 1))
                .ofMaxSize(4).map(fields -> {
                    ObjectNode object = f.objectNode();
                    fields.forEach(object::set);
                    return object;
                });
        return Arbitraries.frequencyOf(Tuple.of(6, scalars), Tuple.of(1, arrays),
                Tuple.of(1, objects));
    }

    private static ObjectNode request(String requestId, String idNumber) {
        return Json.MAPPER.createObjectNode().put("requestId", requestId).put("name", TestIds.name(5))
                .put("idNumber", idNumber).put("image", TestImages.jpegBase64(160, 200));
    }

    private static List<Header> replayCount(String count) {
        return List.of(new RecordHeader(DeadLetters.REPLAY_COUNT, utf8(count)));
    }

    private static List<Header> manyHeaders() {
        List<Header> headers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            headers.add(new RecordHeader("x-" + i, utf8("value-" + i)));
        }
        return headers;
    }

    private static byte[] read(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(".gz")) {
            return Files.readAllBytes(file);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    private static Path root() {
        try {
            return Path.of(HostileCorpus.class.getResource("/hostile/expected.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
