package com.facecheck.cli;

import com.facecheck.app.Worker;
import com.facecheck.app.WorkerConfig;
import com.facecheck.local.EmbeddedKafka;
import com.facecheck.local.TempDirs;
import com.facecheck.ops.OutputCollector;
import com.facecheck.ops.OutputLines;
import com.facecheck.ops.RequestProducer;
import com.facecheck.ops.TopicSetup;
import com.facecheck.contract.Json;
import com.facecheck.contract.JsonLines;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.PersonFields;
import com.facecheck.contract.VerificationResult;
import com.facecheck.identity.RequestValidation;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Billing;
import com.facecheck.provider.Credentials;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.topology.ServeMeters;
import com.facecheck.topology.TopicNames;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs the whole product on one machine: an embedded broker, the provider simulator (or a real provider) and
 * the worker; sends a file of requests through and reports where every one of them ended.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run broker + provider simulator + worker in this process, send requests, report the results.")
final class DemoCommand implements Callable<Integer> {

    private static final String BUNDLED_REQUESTS = "/demo/requests.jsonl";
    private static final String DUPLICATES = "facecheck.requests.duplicates";
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    private static final int SAMPLES = 4;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private FacecheckCli cli;

    @Option(names = "--requests", paramLabel = "FILE",
            description = "JSON lines in the request contract (default: the bundled sample covering every outcome)")
    private Path requestsFile;

    @Option(names = "--out", paramLabel = "FILE",
            description = "write every result, audit record and dead letter here as JSON lines, with its topic")
    private Path outFile;

    @Option(names = "--provider-url", paramLabel = "URL",
            description = "call this provider instead of the built-in simulator; credentials come from "
                    + Credentials.APPCODE_ENV + ", or " + Credentials.APPKEY_ENV + " and " + Credentials.APPSECRET_ENV)
    private String providerUrl;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
            description = "partitions of each topic (default: ${DEFAULT-VALUE})")
    private int partitions;

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "120",
            description = "give up when the results are not all in after this long (default: ${DEFAULT-VALUE})")
    private int timeoutSeconds;

    @Option(names = "--price-per-call", paramLabel = "CNY",
            description = "what one billed call costs, for the spend estimate (default: the key"
                    + " provider.price-per-call, 0.20, the smallest package's price)")
    private BigDecimal pricePerCall;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<byte[]> requests = readRequests();
        checkOptions();
        ProviderUrl externalProvider = providerUrl == null ? null : reachableProvider(providerUrl);
        AppCode simulatorCode = AppCode.of(randomHex(16));
        Credentials credentials = externalProvider == null ? new Credentials.AppCodeAuth(simulatorCode)
                : credentialsFromEnvironment();

        KafkaLogs.quiet();
        long started = System.nanoTime();
        out.println("Starting an embedded Kafka broker…");
        Path stateDir = TempDirs.create("facecheck-state-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             ProviderSimulator simulator = externalProvider == null ? ProviderSimulator.standalone(ProviderSimulator.Accounts.appCodeOnly(simulatorCode)) : null) {
            TopicNames names = TopicNames.defaults();
            TopicSetup.createMissing(kafka.bootstrapServers(), names, partitions, (short) 1);
            ProviderUrl provider = externalProvider;
            if (simulator != null) {
                provider = ProviderUrl.of("http://127.0.0.1:" + simulator.start(0));
                out.println("Provider simulator listening on " + provider);
            }
            WorkerConfig config = WorkerConfig.defaults(kafka.bootstrapServers(), provider, credentials, randomHex(32),
                    stateDir);
            if (pricePerCall != null) {
                config = config.with("provider.price-per-call", pricePerCall);
            }
            out.println("Starting the worker (exactly-once, " + partitions + " partitions)…");
            List<String> written = new ArrayList<>(names.outputs());
            written.add(names.audit());
            try (Worker worker = Worker.start(config);
                 OutputCollector collector = new OutputCollector(kafka.bootstrapServers(), written)) {
                SortedMap<Integer, Exception> unsent = RequestProducer.send(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), names.requests(), requests);
                if (!unsent.isEmpty()) {
                    throw new IllegalStateException(unsent.size() + " requests could not be sent to the embedded"
                            + " broker: " + unsent.get(unsent.firstKey()).getMessage());
                }
                out.println("Sent " + requests.size() + " requests to " + names.requests() + "; waiting for results…");
                boolean complete = awaitResults(collector, names, requests.size(), worker, out);
                report(collector.records(), names, requests.size(), (long) worker.count(DUPLICATES), simulator, out);
                reportSpend(answersByBilling(worker), config.provider().pricePerCall(), out);
                out.println();
                out.println("Sample results (of the person: personId and " + config.results().personFields()
                        + "; never the photo):");
                samples(collector.records(), names).forEach(json -> out.println("  " + json));
                if (outFile != null) {
                    writeOut(collector.records(), names, config.results().personFields());
                    out.println("Wrote " + collector.records().size() + " records to " + outFile);
                }
                out.printf(Locale.ROOT, "Done in %.1f s.%n", (System.nanoTime() - started) / 1e9);
                if (!complete) {
                    throw new IllegalStateException("not every request had a result after " + timeoutSeconds
                            + " s; raise --timeout-seconds, or see the log for errors");
                }
            }
        } finally {
            TempDirs.delete(stateDir);
        }
        return 0;
    }

    private List<byte[]> readRequests() {
        if (requestsFile != null && !Files.isRegularFile(requestsFile)) {
            throw new CliError("--requests " + requestsFile + ": " + (Files.isDirectory(requestsFile) ? "is a folder"
                    : "no such file") + ". Give a file of JSON lines, one request per line, or leave the option out to"
                    + " use the bundled sample");
        }
        try (InputStream in = requestsFile == null ? DemoCommand.class.getResourceAsStream(BUNDLED_REQUESTS)
                : Files.newInputStream(requestsFile)) {
            if (in == null) {
                throw new IllegalStateException("the bundled sample " + BUNDLED_REQUESTS + " is missing from the jar");
            }
            // Sent as they are: a line that is not UTF-8 (or not JSON) is the worker's to dead-letter, alone.
            List<byte[]> lines = JsonLines.read(in).stream().map(JsonLines.Line::bytes).toList();
            if (lines.isEmpty()) {
                throw new CliError("--requests " + requestsFile + " holds no requests: give one JSON request per line");
            }
            return lines;
        } catch (IOException e) {
            throw new CliError("--requests " + requestsFile + " cannot be read: " + e.getMessage());
        }
    }

    private void checkOptions() {
        if (partitions < 1 || partitions > 64) {
            throw new CliError("--partitions must be between 1 and 64, not " + partitions);
        }
        if (timeoutSeconds < 1) {
            throw new CliError("--timeout-seconds must be at least 1, not " + timeoutSeconds);
        }
        if (pricePerCall != null && pricePerCall.signum() < 0) {
            throw new CliError("--price-per-call cannot be negative: give what one billed call costs, in CNY");
        }
        if (outFile != null) {
            if (Files.isDirectory(outFile)) {
                throw new CliError("--out " + outFile + " is a folder: give the path of a file to write, such as "
                        + outFile.resolve("demo-results.jsonl"));
            }
            Path parent = outFile.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
                throw new CliError("--out " + outFile + ": the folder " + parent + " does not exist or is not writable");
            }
        }
    }

    private static ProviderUrl reachableProvider(String url) {
        ProviderUrl provider;
        try {
            provider = ProviderUrl.of(url);
        } catch (IllegalArgumentException e) {
            throw new CliError("--provider-url: " + e.getMessage());
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(provider.host(), provider.port()), 3000);
        } catch (IOException e) {
            throw new CliError("cannot reach the provider at " + provider.host() + ":" + provider.port() + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "). Check --provider-url, or leave it out to use the built-in simulator");
        }
        return provider;
    }

    private Credentials credentialsFromEnvironment() {
        try {
            return Credentials.fromEnvironment(cli.environment());
        } catch (IllegalArgumentException e) {
            throw new CliError("--provider-url needs the provider's credentials: " + e.getMessage());
        }
    }

    /** Waits until every request has a result or a poison dead letter, or was dropped as a duplicate; true when all are in. */
    private boolean awaitResults(OutputCollector collector, TopicNames names, int expected, Worker worker,
                                 PrintWriter out) {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
        long started = System.nanoTime();
        long finished = 0;
        while (System.nanoTime() < deadline) {
            collector.poll(Duration.ofMillis(200));
            finished = collector.count(r -> isFinal(r.topic(), names)) + (long) worker.count(DUPLICATES);
            if (finished >= expected) {
                collector.catchUp(Duration.ofSeconds(10));
                out.printf(Locale.ROOT, "  %d/%d requests finished (%.1f s)%n", finished, expected,
                        (System.nanoTime() - started) / 1e9);
                return true;
            }
            if (System.nanoTime() >= nextProgress) {
                out.printf(Locale.ROOT, "  %d/%d requests finished (%.1f s)…%n", finished, expected,
                        (System.nanoTime() - started) / 1e9);
                nextProgress += PROGRESS_EVERY.toNanos();
            }
        }
        out.printf(Locale.ROOT, "  gave up waiting: %d/%d requests finished%n", finished, expected);
        return false;
    }

    /** A request's journey ends on a result topic or on the poison dead letters; retryable ones also get a result. */
    private static boolean isFinal(String topic, TopicNames names) {
        return topic.equals(names.poisonDeadLetters()) || names.results().containsValue(topic);
    }

    private static void report(List<ConsumerRecord<String, byte[]>> records, TopicNames names, int sent,
                                long duplicates, ProviderSimulator simulator, PrintWriter out) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        names.outputs().forEach(topic -> counts.put(topic, 0));
        counts.put(names.audit(), 0);
        records.forEach(r -> counts.merge(r.topic(), 1, Integer::sum));
        out.println();
        out.printf(Locale.ROOT, "%-40s %7s%n", "topic", "records");
        counts.forEach((topic, count) -> out.printf(Locale.ROOT, "%-40s %7d%n", topic, count));

        long results = records.stream().filter(r -> names.results().containsValue(r.topic())).count();
        long local = 0;
        List<String> localReasons = new ArrayList<>();
        Map<String, Integer> capRefusals = new TreeMap<>();
        long providerThrottled = 0;
        long withoutConsent = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
            if (names.results().containsValue(r.topic())) {
                VerificationResult result = Json.MAPPER.readValue(r.value(), VerificationResult.class);
                boolean throttled = result.error() == Outcome.THROTTLED.code();
                if (VerificationResult.DECIDED_LOCALLY.equals(result.decidedBy())) {
                    local++;
                    localReasons.add(result.reason());
                    if (RequestValidation.MISSING_CONSENT.equals(result.reason())) {
                        withoutConsent++;
                    }
                    if (throttled) {
                        capRefusals.merge(result.reason(), 1, Integer::sum);
                    }
                } else if (throttled) {
                    providerThrottled++;
                }
            }
        }
        out.println();
        int poison = counts.get(names.poisonDeadLetters());
        out.printf(Locale.ROOT, "%d requests sent = %d with a result (%d decided locally, without a call) + %d poison"
                        + " + %d duplicates dropped (same requestId within 24 h: no call, no second result)%s.%n",
                sent, results, local, poison, duplicates,
                results + poison + duplicates == sent ? "" : " — these do not add up: see the topics above");
        out.printf(Locale.ROOT, "%d of the results are failures a replay could fix: each also has its request on %s.%n",
                counts.get(names.retryableDeadLetters()), names.retryableDeadLetters());
        if (!localReasons.isEmpty()) {
            out.println("Answered without a call (nothing billed): " + String.join(", ", localReasons) + ".");
        }
        out.printf(Locale.ROOT, "Without the person's consent (no consentId; result 7 %s, no call): %d.%n",
                RequestValidation.MISSING_CONSENT, withoutConsent);
        int audited = counts.get(names.audit());
        out.printf(Locale.ROOT, "Audit trail: %d records on %s, one per result (the person by personId only)%s.%n",
                audited, names.audit(), audited == results ? "" : " — not one per result: see the topics above");
        out.printf(Locale.ROOT, "Result 8 from our own 24-hour caps (no call): %d%s; from the provider (its limit,"
                        + " after a call): %d.%n", capRefusals.values().stream().mapToInt(Integer::intValue).sum(),
                capRefusals.isEmpty() ? "" : " " + capRefusals, providerThrottled);
        if (simulator != null) {
            out.printf(Locale.ROOT, "Provider simulator: %d billed calls, %d not billed.%n",
                    simulator.billedCalls(), simulator.notBilledCalls());
        }
    }

    /** One result of each of the first few outcomes, as written. */
    private static List<String> samples(List<ConsumerRecord<String, byte[]>> records, TopicNames names)
            throws IOException {
        Map<String, String> samples = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            if (samples.size() < SAMPLES && names.results().containsValue(r.topic())) {
                VerificationResult result = Json.MAPPER.readValue(r.value(), VerificationResult.class);
                samples.putIfAbsent(result.outcome(), new String(r.value(), StandardCharsets.UTF_8));
            }
        }
        return List.copyOf(samples.values());
    }

    /**
     * Every call the worker made, by what its answer says about billing: a call whose billing is unknown may or may
     * not have been billed, so the spend is a range.
     */
    private static void reportSpend(Map<Billing, Long> calls, BigDecimal pricePerCall, PrintWriter out) {
        long billed = calls.getOrDefault(Billing.BILLED, 0L);
        long unknown = calls.getOrDefault(Billing.UNKNOWN, 0L);
        out.printf(Locale.ROOT, "Provider calls: %d billed, %d not billed, %d of unknown billing (sent, but no"
                + " status came back).%n", billed, calls.getOrDefault(Billing.UNBILLED, 0L), unknown);
        BigDecimal spent = pricePerCall.multiply(BigDecimal.valueOf(billed));
        out.printf(Locale.ROOT, "Estimated spend: CNY %s = %d billed × CNY %s%s.%n", spent.toPlainString(), billed,
                pricePerCall.toPlainString(), unknown == 0 ? "" : "; up to CNY "
                        + spent.add(pricePerCall.multiply(BigDecimal.valueOf(unknown))).toPlainString() + " if the "
                        + unknown + " of unknown billing were billed too");
    }

    /** The worker's count of provider answers by billing. */
    private static Map<Billing, Long> answersByBilling(Worker worker) {
        Map<Billing, Long> calls = new EnumMap<>(Billing.class);
        for (Billing billing : Billing.values()) {
            calls.put(billing, (long) worker.count(ServeMeters.ANSWERS, "billing", billing.label()));
        }
        return calls;
    }

    private void writeOut(List<ConsumerRecord<String, byte[]>> records, TopicNames names, PersonFields fields) {
        try (BufferedWriter writer = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)) {
            for (ConsumerRecord<String, byte[]> r : records) {
                writer.write(Json.MAPPER.writeValueAsString(OutputLines.line(r, names, fields)));
                writer.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + outFile, e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

}
