package com.facecheck.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.app.Secrets;
import com.facecheck.chaos.HostileCorpus.Input;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.RequestParser;
import com.facecheck.contract.VerificationResult;
import com.facecheck.crypto.Keyset;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.testing.CliProcess;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.DeadLetters;
import com.facecheck.topology.TopicNames;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 6 of the chaos suite, hostile input: every input of the corpus in {@code src/test/resources/hostile}, keys
 * and headers of every kind, and seeded random JSON and bytes go through the real worker, run as an OS process on a
 * small heap. Each ends in exactly one place: the poison dead letters (pointing at where it was read) or a result 7
 * with a reason; corpus inputs in the one their file names. The worker never stops, stays inside its heap, and
 * answers a valid request afterwards.
 */
class HostileInputTest {

    private static final String APP_CODE = "hostile-input-appcode-6";
    private static final String HASH_SECRET = "hostile-input-secret-0123456789";
    private static final String KEYSET = Keyset.generate().toJson();
    /**
     * Ordinary traffic (small photos, and every fourth one of 900 KB to re-encode) runs in 96 MB with 74 MB live at
     * most, comfortably in 128 MB; the request topic here takes 16 MB records, and the worker may hold two of them a
     * partition (one read ahead, one fetched behind it), 80 MB of the corpus' 10 MB inputs over four partitions, plus
     * one being parsed. Hence 224 MB: a fault that makes an input cost memory several times its size exhausts it, and
     * the process ends at once.
     */
    private static final List<String> JVM = List.of("-Xmx224m", "-XX:+ExitOnOutOfMemoryError");
    /** Large enough for the corpus' 10 MB inputs and their JSON framing. */
    private static final int LARGEST_INPUT = 16 * 1024 * 1024;
    private static final int RANDOM_INPUTS = 300;
    private static final long SEED = 6L;
    private static final Pattern RUNNING = Pattern.compile("health and metrics on port (\\d+)");
    private static final Pattern THREADS_REPLACED =
            Pattern.compile("(?m)^facecheck_streams_threads_replaced_total\\S* ([0-9.eE+]+)$");

    @TempDir
    Path dir;

    @Test
    void everyHostileInputEndsInOnePlaceAndTheWorkerKeepsServing() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("hostile.");
        TopicSetup.createMissing(bootstrap, names, 4, (short) 1);
        acceptLargeRequests(bootstrap, names.requests());
        Path config = Files.writeString(dir.resolve("facecheck.yaml"), TestTopics.yaml(names));

        List<Input> inputs = new ArrayList<>(HostileCorpus.files());
        assertThat(inputs).as("corpus files").hasSizeGreaterThanOrEqualTo(100);
        inputs.addAll(HostileCorpus.keysAndHeaders());
        inputs.addAll(HostileCorpus.random(SEED, RANDOM_INPUTS));
        RequestParser parser = new RequestParser(new KeyedHasher(HASH_SECRET.getBytes(StandardCharsets.UTF_8)));

        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities());
             OutputCollector out = new OutputCollector(bootstrap, names.outputs())) {
            String providerUrl = "http://127.0.0.1:" + simulator.start(0);
            long started = System.nanoTime();
            try (CliProcess worker = CliProcess.start(dir, "worker", JVM, Map.of(Credentials.APPCODE_ENV, APP_CODE,
                            Secrets.HASH_SECRET_ENV, HASH_SECRET, Keyset.ENV, KEYSET), "run", "--config",
                    config.toString(), "--bootstrap-servers", bootstrap, "--provider-url", providerUrl,
                    "--application-id", "hostile-input", "--set", "http.port=0",
                    "--set", "streams.state-dir=" + dir.resolve("state"))) {
                int port = Integer.parseInt(worker.await(RUNNING, Duration.ofSeconds(60)).group(1));

                List<Sent> sent = send(bootstrap, names.requests(), inputs, parser);
                Map<Sent, List<String>> outcomes = awaitOutcomes(out, names, sent, worker);
                assertThat(worker.alive()).as("the worker is running; its log ends:%n%s", tail(worker)).isTrue();

                String valid = Traffic.request("hostile-after-the-corpus", TestIds.name(60_001),
                        TestIds.idNumber(60_001), TestImages.jpegBase64(320, 400));
                Traffic.send(bootstrap, names.requests(), List.of(valid));
                VerificationResult after = awaitResult(out, names, "hostile-after-the-corpus");
                System.out.printf("hostile input: %d inputs through the worker in %d s%n", sent.size(),
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));

                List<ConsumerRecord<String, byte[]>> records = out.catchUp(Duration.ofSeconds(10));
                assertOutcomes(outcomes);
                assertThat(on(records, names.retryableDeadLetters())).as("retryable dead letters").isEmpty();
                assertThat(Traffic.results(records, names)).as("verdicts")
                        .filteredOn(r -> r.outcomeEnum() != Outcome.INVALID_REQUEST)
                        .extracting(VerificationResult::requestId).containsExactly("hostile-after-the-corpus");
                assertThat(after.decidedBy()).isEqualTo("provider");
                assertThat(simulator.calls()).as("calls at the provider: none for hostile input, one for the valid"
                        + " request after it").isEqualTo(1);
                assertAccounted(records, names, sent);
                assertThat(Traffic.resultRecords(records, names)).as("results with headers a producer sent")
                        .allSatisfy(r -> assertThat(r.headers().toArray()).noneMatch(h -> h.key().isEmpty()
                                || h.key().startsWith("x-") || h.key().startsWith("facecheck.dlq.")));
                assertLargeOnesLeftOut(records, names, sent);
                assertThat(on(records, names.poisonDeadLetters())).allSatisfy(r ->
                        assertThat(DeadLetters.text(r.headers(), DeadLetters.REASON)).as("poison reason")
                                .isNotBlank().doesNotContain(TestIds.idNumber(1), TestIds.idNumber(2),
                                        TestIds.name(5), "林小燕", "35020319850612041"));

                String metrics = get(port, "/metrics");
                Matcher replaced = THREADS_REPLACED.matcher(metrics);
                assertThat(replaced.find()).as("the metric of stream threads replaced").isTrue();
                assertThat(Double.parseDouble(replaced.group(1))).as("stream threads replaced").isZero();
                String log = worker.out() + worker.err();
                assertThat(log).doesNotContain("OutOfMemoryError").doesNotContain("a stream thread died")
                        .doesNotContain("林小燕").doesNotContain("35020319850612041");
                printSummary(outcomes);
            }
        } finally {
            vertx.close();
        }
    }

    /** An input as sent: where it landed, and the request id a result of it would carry (null: not a request). */
    private record Sent(Input input, int partition, long offset, String requestId) {
        String where() {
            return partition + "@" + offset;
        }
    }

    private static void acceptLargeRequests(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(
                    new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                            Integer.toString(LARGEST_INPUT)), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    private static List<Sent> send(String bootstrap, String topic, List<Input> inputs, RequestParser parser)
            throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LARGEST_INPUT);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * LARGEST_INPUT);
        // As Traffic does: a batch retried behind later ones was seen lost for good on a loaded machine.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Input input : inputs) {
                futures.add(producer.send(new ProducerRecord<>(topic, null, input.key(), input.value(),
                        input.headers())));
            }
            List<Sent> sent = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                RecordMetadata m = futures.get(i).get(60, TimeUnit.SECONDS);
                sent.add(new Sent(inputs.get(i), m.partition(), m.offset(), requestId(parser, inputs.get(i))));
            }
            return sent;
        }
    }

    /**
     * The request id the worker gives the input, if it reads it as a request: only to find its result among all
     * results, whether it has one is what the test checks.
     */
    private static String requestId(RequestParser parser, Input input) {
        try {
            return parser.parse(input.value()).requestId();
        } catch (RequestParser.NotARequestException notARequest) {
            return null;
        }
    }

    /**
     * Each input's outcomes as text ({@code poison <reason-code>}, {@code result <error> <reason>}), once all have
     * one.
     */
    private static Map<Sent, List<String>> awaitOutcomes(OutputCollector out, TopicNames names, List<Sent> sent,
                                                         CliProcess worker) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Map<Sent, List<String>> outcomes = outcomes(out.poll(Duration.ofMillis(200)), names, sent);
        while (outcomes.values().stream().anyMatch(List::isEmpty) && System.nanoTime() < deadline && worker.alive()) {
            outcomes = outcomes(out.poll(Duration.ofMillis(500)), names, sent);
        }
        Thread.sleep(2_000); // an input answered twice would show now
        return outcomes(out.catchUp(Duration.ofSeconds(10)), names, sent);
    }

    private static Map<Sent, List<String>> outcomes(List<ConsumerRecord<String, byte[]>> records, TopicNames names,
                                                    List<Sent> sent) {
        Map<String, List<String>> poisonAt = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : on(records, names.poisonDeadLetters())) {
            if (names.requests().equals(DeadLetters.text(r.headers(), DeadLetters.SOURCE_TOPIC))) {
                poisonAt.computeIfAbsent(DeadLetters.text(r.headers(), DeadLetters.SOURCE_PARTITION) + "@"
                        + DeadLetters.text(r.headers(), DeadLetters.SOURCE_OFFSET), k -> new ArrayList<>())
                        .add("poison " + DeadLetters.reasonCode(r.headers()));
            }
        }
        Map<String, List<String>> resultsOf = new HashMap<>();
        for (VerificationResult r : Traffic.results(records, names)) {
            resultsOf.computeIfAbsent(r.requestId(), k -> new ArrayList<>()).add("result " + r.error() + " "
                    + (r.reason() == null ? "" : r.reason()));
        }
        Map<Sent, List<String>> outcomes = new HashMap<>();
        for (Sent s : sent) {
            List<String> found = new ArrayList<>(poisonAt.getOrDefault(s.where(), List.of()));
            if (s.requestId() != null) {
                found.addAll(resultsOf.getOrDefault(s.requestId(), List.of()));
            }
            outcomes.put(s, found);
        }
        return outcomes;
    }

    private static void assertOutcomes(Map<Sent, List<String>> outcomes) {
        List<String> wrong = new ArrayList<>();
        outcomes.forEach((s, found) -> {
            HostileCorpus.Expected expected = s.input().expected();
            String problem = null;
            if (found.size() != 1) {
                problem = found.isEmpty() ? "no outcome" : "outcomes " + found;
            } else {
                String only = found.get(0);
                boolean poison = only.equals("poison not-a-request") || only.equals("poison processing-failed");
                boolean invalid = only.startsWith("result 7 ") && only.length() > "result 7 ".length();
                if (!poison && !invalid) {
                    problem = "outcome " + only;
                } else if (expected != null && (expected.poison() ? !poison
                        : !only.equals("result 7 " + expected.reason()))) {
                    problem = "outcome " + only + ", expected " + expected;
                }
            }
            if (problem != null) {
                wrong.add(s.input().label() + " (" + s.where() + "): " + problem);
            }
        });
        assertThat(wrong).as("inputs that did not end in exactly their one place").isEmpty();
    }

    /** Nothing on the poison dead letters or the result topics that is no input's (but the valid request's). */
    private static void assertAccounted(List<ConsumerRecord<String, byte[]>> records, TopicNames names,
                                        Collection<Sent> sent) {
        var where = sent.stream().map(Sent::where).toList();
        var ids = sent.stream().map(Sent::requestId).filter(Objects::nonNull).toList();
        assertThat(on(records, names.poisonDeadLetters())).as("poison dead letters of no input").allSatisfy(r ->
                assertThat(where).contains(DeadLetters.text(r.headers(), DeadLetters.SOURCE_PARTITION) + "@"
                        + DeadLetters.text(r.headers(), DeadLetters.SOURCE_OFFSET)));
        assertThat(Traffic.results(records, names)).extracting(VerificationResult::requestId)
                .as("results of no input").allMatch(id -> ids.contains(id) || id.equals("hostile-after-the-corpus"));
    }

    /**
     * Inputs too large to copy to the poison dead letters with their headers (the worker's producer takes 1 MB) are
     * there without their value, saying so: under exactly-once a copy Kafka refused would fail the transaction, and the
     * input would be read and refused for ever.
     */
    private static void assertLargeOnesLeftOut(List<ConsumerRecord<String, byte[]>> records, TopicNames names,
                                               List<Sent> sent) {
        List<String> large = sent.stream().filter(s -> s.input().value().length > 1024 * 1024).map(Sent::where)
                .toList();
        List<ConsumerRecord<String, byte[]>> copies = on(records, names.poisonDeadLetters()).stream()
                .filter(r -> large.contains(DeadLetters.text(r.headers(), DeadLetters.SOURCE_PARTITION) + "@"
                        + DeadLetters.text(r.headers(), DeadLetters.SOURCE_OFFSET))).toList();
        assertThat(copies).as("poison copies of 10 MB inputs").isNotEmpty().allSatisfy(r -> {
            assertThat(r.value()).isNull();
            assertThat(DeadLetters.text(r.headers(), DeadLetters.VALUE_LEFT_OUT)).isNotBlank();
        });
    }

    private static VerificationResult awaitResult(OutputCollector out, TopicNames names, String requestId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (VerificationResult r : Traffic.results(out.poll(Duration.ofMillis(200)), names)) {
                if (r.requestId().equals(requestId)) {
                    return r;
                }
            }
        }
        throw new AssertionError("no result for " + requestId + " after the corpus");
    }

    private static void printSummary(Map<Sent, List<String>> outcomes) {
        Map<String, Integer> counts = new TreeMap<>();
        outcomes.values().forEach(found -> found.forEach(o -> counts.merge(o, 1, Integer::sum)));
        StringBuilder summary = new StringBuilder("hostile input outcomes:\n");
        counts.forEach((outcome, n) -> summary.append(String.format("  %5d  %s%n", n, outcome)));
        System.out.print(summary);
    }

    private static String tail(CliProcess worker) {
        return end(worker.out()) + "\n(standard error:)\n" + end(worker.err());
    }

    private static String end(String log) {
        return log.substring(Math.max(0, log.length() - 3_000));
    }

    private static List<ConsumerRecord<String, byte[]>> on(List<ConsumerRecord<String, byte[]>> records, String topic) {
        return records.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
