package com.facecheck.bench;

import com.facecheck.bench.BenchReport.LatencyRun;
import com.facecheck.bench.BenchReport.SteadyRun;
import com.facecheck.local.EmbeddedKafka;
import com.facecheck.ops.TopicSetup;
import com.facecheck.topology.TopicNames;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Runs the comparison: one broker and, per run, one simulator, each a process of its own; every contender a fresh
 * process on the same backlog of requests, in an order that rotates from round to round. Per run: the time from
 * launch to the first result, then, after a warm-up, the steady rate over a window, with the CPU, memory, Kafka
 * bytes and provider calls it took. Then per contender a latency run at half of its own peak, and for the worker
 * a run under a calls-per-second limit.
 */
public final class Bench {

    private static final int PARTITIONS = 4;
    private static final String APP_CODE = "bench-appcode";
    private static final String BACKLOG_TOPIC = "bench.requests";
    private static final Duration FIRST_RESULT_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DRAIN = Duration.ofSeconds(2);
    /** A latency run gives up on requests still without a result after this long without any. */
    private static final Duration QUIET_END = Duration.ofSeconds(30);
    /** Where the latency runs' people start, apart from the backlog's (and still born before today). */
    private static final long LATENCY_PEOPLE = 1_000_000;

    private final BenchSettings settings;
    private final PrintWriter progress;
    private final BenchInput input = new BenchInput();

    Bench(BenchSettings settings, PrintWriter progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Runs the bench as {@code facecheck bench} asks and prints the table; writes the JSON and charts when asked.
     *
     * @param rounds      null for the mode's own
     * @param contenders  contender keys: facecheck, synchronous, plain, flink
     * @param scenarios   labels of the steady-state scenarios to run; empty for all of the mode's
     * @throws IllegalArgumentException naming a contender that does not exist
     */
    public static void run(boolean full, Integer rounds, List<String> contenders, long commitIntervalMillis,
                           boolean profile, List<String> scenarios, Path flinkJar, Path json, Path charts,
                           PrintWriter out) throws Exception {
        List<Contender> chosen = contenders.stream().map(Contender::ofKey).distinct().toList();
        Path work = Files.createTempDirectory("facecheck-bench-");
        BenchSettings settings = full
                ? BenchSettings.full(rounds == null ? 3 : rounds, chosen, commitIntervalMillis, profile, flinkJar, work)
                : BenchSettings.quick(chosen, commitIntervalMillis, profile, flinkJar, work);
        if (rounds != null && !full) {
            settings = settings.withRounds(rounds);
        }
        if (!scenarios.isEmpty()) {
            settings = settings.onlyScenarios(scenarios);
        }
        out.println("each run's output (and with --profile its JFR recording) is kept under " + work);
        BenchReport report = new Bench(settings, out).run();
        report.print(out);
        if (json != null) {
            report.writeJson(json);
            out.println("figures written to " + json);
        }
        if (charts != null) {
            report.writeCharts(charts);
            out.println("charts drawn in " + charts);
        }
    }

    BenchReport run() throws Exception {
        Files.createDirectories(settings.workDir());
        List<SteadyRun> steady = new ArrayList<>();
        List<LatencyRun> latency = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.startProcess();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            String bootstrap = kafka.bootstrapServers();
            createTopic(admin, BACKLOG_TOPIC);
            long started = System.nanoTime();
            input.produce(bootstrap, BACKLOG_TOPIC, PARTITIONS, 0, 0, settings.backlog());
            progress.printf(Locale.ROOT, "%d requests (%.1f KB photos) on %s in %.1f s%n", settings.backlog(),
                    input.photoBytes() / 1024.0, BACKLOG_TOPIC, (System.nanoTime() - started) / 1e9);
            for (int round = 1; round <= settings.rounds(); round++) {
                List<Contender> order = rotated(settings.contenders(), round);
                for (Scenario scenario : settings.scenarios()) {
                    for (Contender contender : order) {
                        if (settings.runs(contender, scenario)) {
                            steady.add(report(steady(admin, bootstrap, contender, scenario, round)));
                        }
                    }
                }
                for (Contender contender : order) {
                    double peak = peak(steady, contender, round);
                    if (!Double.isNaN(peak) && peak > 0) {
                        latency.add(report(latency(admin, bootstrap, contender, round, peak / 2)));
                    }
                }
                if (settings.rateScenario() != null && settings.contenders().contains(Contender.FACECHECK)) {
                    steady.add(report(steady(admin, bootstrap, Contender.FACECHECK, settings.rateScenario(), round)));
                }
            }
        }
        return new BenchReport(settings, input.photoBytes(), steady, latency);
    }

    /** The contender's steady rate in the latency runs' scenario, this round. */
    private double peak(List<SteadyRun> steady, Contender contender, int round) {
        return steady.stream().filter(r -> r.round() == round && r.contender() == contender
                        && r.scenario().equals(settings.latencyScenario()))
                .mapToDouble(SteadyRun::requestsPerSecond).findFirst().orElse(Double.NaN);
    }

    private SteadyRun report(SteadyRun run) {
        progress.println("  " + run.line());
        return run;
    }

    private LatencyRun report(LatencyRun run) {
        progress.println("  " + run.line());
        return run;
    }

    /** The contenders starting at a different one each round, so that none always runs first or after another. */
    static List<Contender> rotated(List<Contender> contenders, int round) {
        List<Contender> order = new ArrayList<>();
        for (int i = 0; i < contenders.size(); i++) {
            order.add(contenders.get((i + round - 1) % contenders.size()));
        }
        return order;
    }

    private SteadyRun steady(Admin admin, String bootstrap, Contender contender, Scenario scenario, int round)
            throws Exception {
        String id = runId(round, contender, scenario.label());
        TopicNames topics = TopicNames.defaults().withPrefix(id + ".").withRequests(BACKLOG_TOPIC);
        TopicSetup.createMissing(bootstrap, topics, PARTITIONS, (short) 1);
        Path dir = Files.createDirectories(settings.workDir().resolve(id));
        try (SimulatorProcess simulator = SimulatorProcess.start(APP_CODE)) {
            simulator.behaviour(scenario.simulatorBehaviour());
            try (ResultWatch watch = new ResultWatch(bootstrap, topics.outputs(), false)) {
                Contender.Launch launch = launch(bootstrap, topics, id, simulator, scenario, dir);
                long launched = System.nanoTime();
                double firstSeconds;
                double perSecond;
                double cpuPerThousand;
                double callsPerSecond;
                long windowResults;
                double windowSeconds;
                boolean ranOut = false;
                long peakRss;
                long peakHeap;
                try (ContenderProcess process = launchProcess(contender, launch)) {
                    awaitFirst(watch, process, contender);
                    firstSeconds = (watch.firstNanos() - launched) / 1e9;
                    long warmEnd = watch.firstNanos() + settings.warmup().toNanos();
                    while (System.nanoTime() < warmEnd) {
                        watch.poll(Duration.ofMillis(50));
                    }
                    long from = System.nanoTime();
                    long resultsFrom = watch.records();
                    double cpuFrom = process.cpuSeconds();
                    long callsFrom = calls(simulator.counters());
                    long lastProgress = from;
                    long seen = resultsFrom;
                    long until;
                    while (true) {
                        watch.poll(Duration.ofMillis(50));
                        long now = System.nanoTime();
                        if (watch.records() > seen) {
                            seen = watch.records();
                            lastProgress = now;
                        }
                        if (seen - resultsFrom >= settings.windowRequests() || now - from >= settings.window().toNanos()) {
                            until = now;
                            break;
                        }
                        if (now - lastProgress > stall(scenario).toNanos()) {
                            ranOut = true;
                            until = lastProgress;
                            break;
                        }
                    }
                    windowResults = seen - resultsFrom;
                    windowSeconds = (until - from) / 1e9;
                    perSecond = windowResults / windowSeconds;
                    cpuPerThousand = (process.cpuSeconds() - cpuFrom) / windowResults * 1000;
                    callsPerSecond = (calls(simulator.counters()) - callsFrom) / windowSeconds;
                    peakRss = process.peakRssBytes();
                    peakHeap = process.peakHeapBytes();
                }
                JsonNode counters = simulator.counters();
                return new SteadyRun(contender, scenario, round, firstSeconds, perSecond, windowResults, windowSeconds,
                        ranOut, cpuPerThousand, callsPerSecond, counters.path("maxCallsInAnySecond").asInt(),
                        counters.path("maxCallsInFlight").asInt(-1), peakHeap, peakRss);
            }
        } finally {
            cleanUp(admin, id, dir);
        }
    }

    private LatencyRun latency(Admin admin, String bootstrap, Contender contender, int round, double rate)
            throws Exception {
        Scenario scenario = settings.latencyScenario();
        String id = runId(round, contender, "latency");
        TopicNames topics = TopicNames.defaults().withPrefix(id + ".");
        TopicSetup.createMissing(bootstrap, topics, PARTITIONS, (short) 1);
        Path dir = Files.createDirectories(settings.workDir().resolve(id));
        long base = LATENCY_PEOPLE + round * 200_000L + contender.ordinal() * 40_000L;
        int measured = (int) Math.max(20, Math.round(rate * settings.latencyRun().toSeconds()));
        LatencySends sends = new LatencySends();
        try (SimulatorProcess simulator = SimulatorProcess.start(APP_CODE);
             KafkaProducer<byte[], byte[]> producer = BenchInput.producer(bootstrap)) {
            simulator.behaviour(scenario.simulatorBehaviour());
            Map<String, Long> bytesBefore = BrokerBytes.byTopic(admin);
            try (ResultWatch watch = new ResultWatch(bootstrap, topics.outputs(), true)) {
                long sentRecords;
                long launched = System.nanoTime();
                try (ContenderProcess process = launchProcess(contender,
                        launch(bootstrap, topics, id, simulator, scenario, dir))) {
                    sentRecords = sendAndWatch(process, contender, watch, producer, topics.requests(), base, measured,
                            rate, sends);
                }
                drain(watch);
                List<Long> total = new ArrayList<>();
                List<Long> firstOfPerson = new ArrayList<>();
                List<Long> toDecision = new ArrayList<>();
                List<Long> afterDecision = new ArrayList<>();
                int lost = 0;
                for (var sent : sends.sentAt().entrySet()) {
                    Long seen = watch.seenAtMillis().get(sent.getKey());
                    if (seen == null) {
                        lost++;
                        continue;
                    }
                    total.add(seen - sent.getValue());
                    if (!sends.isLaterOfPerson(sent.getKey())) {
                        firstOfPerson.add(seen - sent.getValue());
                    }
                    Long decided = watch.decidedAtMillis().get(sent.getKey());
                    if (decided != null) {
                        toDecision.add(decided - sent.getValue());
                        afterDecision.add(seen - decided);
                    }
                }
                long bytes = BrokerBytes.written(bytesBefore, BrokerBytes.byTopic(admin), topics.requests());
                return new LatencyRun(contender, scenario, round, (watch.firstNanos() - launched) / 1e9, rate,
                        sends.sentAt().size(), lost,
                        Percentiles.of(total), Percentiles.of(firstOfPerson), Percentiles.of(toDecision),
                        Percentiles.of(afterDecision),
                        (double) calls(simulator.counters()) / sentRecords, (double) bytes / sentRecords);
            }
        } finally {
            cleanUp(admin, id, dir);
        }
    }

    /**
     * Warms the contender up (one request at a time until the first result, then a few seconds at the rate), then
     * sends {@code measured} requests at the rate on a thread of their own while this one reads the results, until
     * every one is seen or none has come for 30 s. Returns how many requests it sent in all.
     */
    private long sendAndWatch(ContenderProcess process, Contender contender, ResultWatch watch,
                              KafkaProducer<byte[], byte[]> producer, String topic, long base, int measured, double rate,
                              LatencySends sends) throws InterruptedException {
        long warm = 0;
        long deadline = System.nanoTime() + FIRST_RESULT_TIMEOUT.toNanos();
        while (watch.firstNanos() == 0) {
            require(process, contender, System.nanoTime() < deadline);
            send(producer, topic, base, warm++, sends, false);
            watch.poll(Duration.ofMillis(200));
        }
        long warmUntil = System.nanoTime() + settings.warmup().toNanos();
        while (System.nanoTime() < warmUntil) {
            send(producer, topic, base, warm++, sends, false);
            watch.poll(Duration.ofNanos((long) (1e9 / rate)));
        }
        long first = warm;
        Thread pacer = new Thread(() -> pace(producer, topic, base, first, measured, rate, sends), "bench-pacer");
        pacer.start();
        long lastSeen = System.nanoTime();
        while (pacer.isAlive() || !allSeen(watch, sends) && System.nanoTime() - lastSeen < QUIET_END.toNanos()) {
            if (watch.poll(Duration.ofMillis(20)) > 0) {
                lastSeen = System.nanoTime();
            }
        }
        pacer.join();
        return first + measured;
    }

    /**
     * How long without a new result means the backlog ran out: 3 s, or twice the slowest call, since a synchronous
     * processor (and Flink, between checkpoints) waits out every call in the long tail.
     */
    static Duration stall(Scenario scenario) {
        return Duration.ofMillis(Math.max(3_000, 2 * (scenario.latencyMillis() + scenario.tailMillis())));
    }

    private static boolean allSeen(ResultWatch watch, LatencySends sends) {
        return watch.seenAtMillis().keySet().containsAll(sends.sentAt().keySet());
    }

    /** Sends request {@code from + n} at {@code start + n / rate} for n below {@code count}; notes when each left. */
    private void pace(KafkaProducer<byte[], byte[]> producer, String topic, long base, long from, int count,
                      double rate, LatencySends sends) {
        long start = System.nanoTime();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            long due = start + (long) (n * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            sent.add(send(producer, topic, base, from + n, sends, true));
        }
        producer.flush();
        BenchInput.awaitAll(sent);
    }

    private Future<RecordMetadata> send(KafkaProducer<byte[], byte[]> producer, String topic, long base, long i,
                                        LatencySends sends, boolean measured) {
        long now = System.currentTimeMillis();
        String requestId = BenchInput.requestId(base, i);
        long person = BenchInput.person(base, i);
        if (measured) {
            sends.measured(requestId, person, now);
        } else {
            sends.warmingUp(requestId, person);
        }
        return producer.send(new ProducerRecord<>(topic, (int) (i % PARTITIONS), now, null, input.request(base, i)));
    }

    private Contender.Launch launch(String bootstrap, TopicNames topics, String id, SimulatorProcess simulator,
                                    Scenario scenario, Path dir) {
        return new Contender.Launch(bootstrap, topics, id, simulator.url(), APP_CODE, scenario, dir.resolve("state"),
                settings.commitIntervalMillis(), settings.flinkJar(), dir.resolve("stats.json"),
                settings.profile() ? dir.resolve("recording.jfr") : null);
    }

    private static ContenderProcess launchProcess(Contender contender, Contender.Launch launch) throws IOException {
        return ContenderProcess.start(contender.command(launch), contender.environment(launch), launch.statsFile(),
                launch.stateDir().resolveSibling("output.log"));
    }

    private static void awaitFirst(ResultWatch watch, ContenderProcess process, Contender contender) {
        long deadline = System.nanoTime() + FIRST_RESULT_TIMEOUT.toNanos();
        while (watch.firstNanos() == 0) {
            require(process, contender, System.nanoTime() < deadline);
            watch.poll(Duration.ofMillis(20));
        }
    }

    private static void require(ContenderProcess process, Contender contender, boolean inTime) {
        if (!process.isAlive()) {
            throw new IllegalStateException(contender.label() + " stopped before its first result:\n" + process.logTail());
        }
        if (!inTime) {
            throw new IllegalStateException(contender.label() + " gave no result within " + FIRST_RESULT_TIMEOUT
                    .toSeconds() + " s:\n" + process.logTail());
        }
    }

    /** Reads on until nothing more arrives: what a stopping contender committed on its way out. */
    private static void drain(ResultWatch watch) {
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < DRAIN.toNanos()) {
            if (watch.poll(Duration.ofMillis(100)) > 0) {
                quietSince = System.nanoTime();
            }
        }
    }

    private static long calls(JsonNode counters) {
        return counters.path("billed").asLong() + counters.path("notBilled").asLong();
    }

    private static String runId(int round, Contender contender, String what) {
        return ("bench-" + round + "-" + contender.key() + "-" + what).replaceAll("[^A-Za-z0-9.-]", "-");
    }

    private static void createTopic(Admin admin, String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    /**
     * Deletes the run's topics (its own, and the internal ones its application id names) and its state; keeps its
     * output and profile for a look afterwards.
     */
    private static void cleanUp(Admin admin, String id, Path dir) throws Exception {
        Set<String> all = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<String> mine = all.stream().filter(t -> t.startsWith(id + ".") || t.startsWith(id + "-")).toList();
        admin.deleteTopics(mine).all().get(60, TimeUnit.SECONDS);
        Path state = dir.resolve("state");
        if (!Files.exists(state)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(state)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
