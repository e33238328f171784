package com.facecheck.bench;

import com.facecheck.local.EmbeddedKafka;
import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.TopicSetup;
import com.facecheck.app.Worker;
import com.facecheck.app.WorkerConfig;
import com.facecheck.app.WorkerWithCipher;
import com.facecheck.contract.VerificationResult;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.testing.TestIds;
import com.facecheck.testing.TestImages;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.Traffic;
import com.facecheck.topology.TopicNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Throughput of the worker (calls in flight held in a store, the stream thread never waits) beside the usual
 * alternative, {@link SynchronousProcessor} (the stream thread waits for each answer), on the same input: N requests
 * from N distinct people, so that no cap, deduplication or per-person turn holds anything back, against the
 * simulator answering every call after 200 ms. The worker runs twice per round: as shipped, sealing the personal
 * data it writes to Kafka under its keyset, and with {@link PassThroughAead} in the keyset's place, which writes
 * records of the same size and form without the cryptography, so that their ratio is what encryption costs. All
 * run with the worker's defaults: 256 calls in flight, 1 stream thread, 4 partitions, exactly-once v2, 100 ms
 * commits, no calls-per-second limit. Each run is timed from the first request produced to the last result visible
 * to a read_committed consumer, and apart from that the rate after the first result, which leaves out the start-up
 * (the first request crossing every stage); rounds alternate the three, each run on fresh topics, state and
 * simulator, and the medians are compared. The broker and the simulator run in their own processes, as they are
 * remote in production. Run with {@code bench/throughput [REQUESTS [ROUNDS]]}.
 */
public final class ThroughputComparison {

    private static final int PARTITIONS = 4;
    private static final long LATENCY_MILLIS = 200;
    private static final String APP_CODE = "throughput-benchmark-appcode";

    private enum Kind {
        ENCRYPTED("encrypted"), UNENCRYPTED("unencrypted"), SYNC("synchronous");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** One timed run; {@code maxInFlight} is what the simulator saw, -1 when it did not say. */
    private record Run(Kind kind, int round, long results, double seconds, double firstResultSeconds, long calls,
                       int maxInFlight, int busiestSecond, Map<String, Long> outcomes) {
        double perSecond() {
            return results / seconds;
        }

        /** The rate once the first result is out: the pipeline full, start-up left out. */
        double perSecondAfterFirst() {
            return (results - 1) / (seconds - firstResultSeconds);
        }
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> input = requests(requests, TestImages.jpegBase64(320, 400));
        WorkerConfig defaults = config("unused", ProviderUrl.of("http://127.0.0.1"), Path.of("."), TopicNames.defaults(), "unused");
        System.out.printf(Locale.ROOT, "%d requests from %d distinct people; simulator latency %d ms; %d partitions,"
                        + " %d stream thread(s), %d calls in flight at most, commit interval %d ms, exactly-once v2%n",
                requests, requests, LATENCY_MILLIS, PARTITIONS, defaults.streams().threads(),
                defaults.provider().maxInFlight(), defaults.streams().commitInterval().toMillis());
        List<Run> runs = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.startProcess()) {
            for (int round = 1; round <= rounds; round++) {
                // The two workers swap places each round: neither always runs in a JVM the other has warmed up.
                List<Kind> order = round % 2 == 1 ? List.of(Kind.ENCRYPTED, Kind.UNENCRYPTED, Kind.SYNC)
                        : List.of(Kind.UNENCRYPTED, Kind.ENCRYPTED, Kind.SYNC);
                for (Kind kind : order) {
                    Run run = run(kind, round, kafka.bootstrapServers(), input);
                    runs.add(run);
                    System.out.printf(Locale.ROOT, "round %d %-12s %4d/%d results in %6.2f s = %7.1f requests/s;"
                                    + " first result after %.2f s, %.1f requests/s after it; simulator: %d calls, at"
                                    + " most %s in flight, %d in its busiest second; outcomes %s%n",
                            round, run.kind().label, run.results(), requests, run.seconds(), run.perSecond(),
                            run.firstResultSeconds(), run.perSecondAfterFirst(), run.calls(),
                            run.maxInFlight() < 0 ? "?" : run.maxInFlight(),
                            run.busiestSecond(), run.outcomes());
                }
            }
        }
        summary(runs, requests, rounds);
    }

    private static void summary(List<Run> runs, int requests, int rounds) {
        List<Run> encrypted = runs.stream().filter(r -> r.kind() == Kind.ENCRYPTED).toList();
        List<Run> unencrypted = runs.stream().filter(r -> r.kind() == Kind.UNENCRYPTED).toList();
        List<Run> sync = runs.stream().filter(r -> r.kind() == Kind.SYNC).toList();
        System.out.printf(Locale.ROOT, "%nmedians of %d rounds, %d requests each%n", rounds, requests);
        System.out.printf(Locale.ROOT, "%-32s %14s %14s %14s%n", "", Kind.ENCRYPTED.label, Kind.UNENCRYPTED.label,
                Kind.SYNC.label);
        row("requests/s", "%14.1f", encrypted, unencrypted, sync, Run::perSecond);
        row("requests/s after first result", "%14.1f", encrypted, unencrypted, sync, Run::perSecondAfterFirst);
        row("seconds, first to last", "%14.2f", encrypted, unencrypted, sync, Run::seconds);
        row("seconds to the first result", "%14.2f", encrypted, unencrypted, sync, Run::firstResultSeconds);
        System.out.printf(Locale.ROOT, "%-32s %14d %14d %14d%n", "most calls in flight (max)",
                mostInFlight(encrypted), mostInFlight(unencrypted), mostInFlight(sync));
        System.out.printf(Locale.ROOT, "%-32s %14.3f%n", "ratio encrypted/unencrypted",
                median(encrypted, Run::perSecond) / median(unencrypted, Run::perSecond));
        System.out.printf(Locale.ROOT, "%-32s %14.3f%n", "  after the first result",
                median(encrypted, Run::perSecondAfterFirst) / median(unencrypted, Run::perSecondAfterFirst));
        System.out.printf(Locale.ROOT, "%-32s %14.1f%n", "ratio encrypted/synchronous",
                median(encrypted, Run::perSecond) / median(sync, Run::perSecond));
        if (runs.stream().anyMatch(r -> r.results() < requests)) {
            System.out.println("INCOMPLETE: some runs did not deliver every result before their deadline");
        }
    }

    private static void row(String label, String format, List<Run> encrypted, List<Run> unencrypted, List<Run> sync,
                            ToDoubleFunction<Run> figure) {
        System.out.printf(Locale.ROOT, "%-32s " + format + " " + format + " " + format + "%n", label,
                median(encrypted, figure), median(unencrypted, figure), median(sync, figure));
    }

    private static int mostInFlight(List<Run> runs) {
        return runs.stream().mapToInt(Run::maxInFlight).max().orElse(-1);
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
        double[] sorted = runs.stream().mapToDouble(figure).sorted().toArray();
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Run run(Kind kind, int round, String bootstrap, List<String> input) throws Exception {
        String id = "throughput-" + kind.name().toLowerCase(Locale.ROOT) + "-" + round;
        TopicNames names = TestTopics.prefixed(id + ".");
        TopicSetup.createMissing(bootstrap, names, PARTITIONS, (short) 1);
        Path state = Files.createTempDirectory("facecheck-bench-");
        try (SimulatorProcess simulator = SimulatorProcess.start(APP_CODE)) {
            ProviderUrl url = simulator.url();
            simulator.behaviour("{\"latencyMillis\":" + LATENCY_MILLIS + "}");
            WorkerConfig config = config(bootstrap, url, state, names, id);
            try (AutoCloseable app = start(kind, config);
                 OutputCollector out = new OutputCollector(bootstrap, names.outputs());
                 KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                producer.partitionsFor(names.requests()); // metadata first, so that the clock times the requests only
                long start = System.nanoTime();
                for (int i = 0; i < input.size(); i++) {
                    producer.send(new ProducerRecord<>(names.requests(), i % PARTITIONS, null,
                            input.get(i).getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
                long deadline = start + Duration.ofMillis(input.size() * LATENCY_MILLIS * 3 + 60_000).toNanos();
                long first = 0;
                long results = 0;
                while (results < input.size() && System.nanoTime() < deadline) {
                    out.poll(Duration.ofMillis(100));
                    results = out.count(r -> names.results().containsValue(r.topic()));
                    if (first == 0 && results > 0) {
                        first = System.nanoTime();
                    }
                }
                long end = System.nanoTime();
                var counters = simulator.counters();
                Map<String, Long> outcomes = new TreeMap<>(Traffic.results(out.records(), names).stream()
                        .collect(Collectors.groupingBy(VerificationResult::outcome, Collectors.counting())));
                long deadLetters = out.count(r -> r.topic().equals(names.retryableDeadLetters())
                        || r.topic().equals(names.poisonDeadLetters()));
                if (deadLetters > 0) {
                    outcomes.put("dead letters", deadLetters);
                }
                return new Run(kind, round, results, (end - start) / 1e9, first == 0 ? Double.NaN : (first - start) / 1e9,
                        counters.path("billed").asLong() + counters.path("notBilled").asLong(),
                        counters.path("maxCallsInFlight").asInt(-1), counters.path("maxCallsInAnySecond").asInt(),
                        outcomes);
            }
        } finally {
            delete(state);
        }
    }

    private static AutoCloseable start(Kind kind, WorkerConfig config) throws InterruptedException {
        return switch (kind) {
            case ENCRYPTED -> Worker.start(config);
            // The key id of the keyset the encrypted worker seals under: records of exactly the same size.
            case UNENCRYPTED -> WorkerWithCipher.start(config,
                    new FieldCipher(new PassThroughAead(config.secrets().keyset().primaryId())));
            case SYNC -> SynchronousProcessor.start(config);
        };
    }

    private static WorkerConfig config(String bootstrap, ProviderUrl url, Path state, TopicNames names, String id) {
        return WorkerConfig.defaults(bootstrap, url, new Credentials.AppCodeAuth(AppCode.of(APP_CODE)),
                        "throughput-benchmark-secret-0123456789", state)
                .with("kafka.application-id", id).with("topics", names).with("provider.calls-per-second", 0.0);
    }

    /** One request per person: ID numbers nobody in the simulator's registry has, distinct names. */
    private static List<String> requests(int count, String image) {
        List<String> requests = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            requests.add(Traffic.request("throughput-" + n, TestIds.name(n), TestIds.idNumber(50_000 + n), image));
        }
        return requests;
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
