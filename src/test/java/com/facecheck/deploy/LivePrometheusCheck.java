package com.facecheck.deploy;

import com.facecheck.app.HttpSurface;
import com.facecheck.app.Worker;
import com.facecheck.app.WorkerConfig;
import com.facecheck.contract.JsonLines;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.local.EmbeddedKafka;
import com.facecheck.local.TempDirs;
import com.facecheck.ops.RequestProducer;
import com.facecheck.ops.TopicSetup;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.testing.FailingProcessors;
import com.facecheck.topology.FacecheckTopology;
import com.facecheck.topology.TopicNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Keeps the dashboard and the alert rules honest against the real thing: a real Prometheus (the binary given as the
 * first argument) scrapes a running worker every second, its rules loaded from deploy/prometheus/alerts.yml, while
 * the worker serves the demo's requests (every outcome, retryable and poison dead letters, with a daily budget) and a
 * step fails on one of them. Then:
 *
 * <ul>
 *   <li>every target of the dashboard must return at least one series: a panel on a metric the worker does not
 *       export, or with a label value it never has, shows nothing;</li>
 *   <li>every alert expression must evaluate, and each metric selector in it (name and label matchers) must return
 *       data on its own. The whole expression is rightly empty in a healthy system (no alert fires), so it is its
 *       parts that must exist: a rule on a misspelt metric or label would otherwise stay quiet for ever;</li>
 *   <li>Prometheus must have loaded every rule and evaluated it without error.</li>
 * </ul>
 *
 * Run by deploy/check from the repository's root; exits 1 listing each query that failed. Not part of the JUnit
 * suite, which must not need Prometheus installed.
 */
public final class LivePrometheusCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The sample's request that a step fails on, so that the processing failures have a series. */
    private static final String FAILING_REQUEST = "demo-02-face-mismatch";

    private LivePrometheusCheck() {
    }

    public static void main(String[] args) throws Exception {
        String prometheusBinary = args.length > 0 ? args[0] : "prometheus";
        Path root = Path.of("").toAbsolutePath();
        Path work = TempDirs.create("facecheck-live-prometheus-");
        List<String> problems;
        try {
            problems = check(prometheusBinary, root, work);
        } finally {
            TempDirs.delete(work);
        }
        if (problems.isEmpty()) {
            System.out.println("live check: every dashboard query and alert selector has data");
            System.exit(0);
        }
        problems.forEach(p -> System.out.println("live check: " + p));
        System.exit(1);
    }

    private static List<String> check(String prometheusBinary, Path root, Path work) throws Exception {
        AppCode appCode = AppCode.of("live-check-appcode-0123");
        TopicNames names = TopicNames.defaults();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             ProviderSimulator simulator = ProviderSimulator.standalone(ProviderSimulator.Accounts.appCodeOnly(appCode));
             HttpSurface http = new HttpSurface(0)) {
            TopicSetup.createMissing(kafka.bootstrapServers(), names, 2, (short) 1);
            ProviderUrl provider = ProviderUrl.of("http://127.0.0.1:" + simulator.start(0));
            WorkerConfig config = WorkerConfig.defaults(kafka.bootstrapServers(), provider,
                            new Credentials.AppCodeAuth(appCode), "live-check-hash-secret-0123456789",
                            work.resolve("state"))
                    // A budget, so that facecheck_budget_calls_left exists as it does wherever one is set.
                    .with("budget.daily-calls", 1000L)
                    .with("kafka.properties", Map.of(
                            StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, FailingProcessors.class.getName(),
                            FailingProcessors.FAIL_ON, FailingProcessors.target(FacecheckTopology.CHECK,
                                    FAILING_REQUEST, VerificationRequest.class)));
            int metricsPort = http.start();
            try (Worker worker = Worker.start(config)) {
                http.serve(worker);
                int prometheusPort = freePort();
                Process prometheus = startPrometheus(prometheusBinary, root, work, metricsPort, prometheusPort);
                try {
                    String api = "http://127.0.0.1:" + prometheusPort;
                    awaitReady(api, prometheus, work);
                    List<byte[]> requests = sample();
                    RequestProducer.send(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                            names.requests(), requests);
                    awaitResults(worker);
                    // Rates need two scrapes after the counts, rules an evaluation: a few seconds at 1 s each.
                    Thread.sleep(8_000);
                    return queryAll(api, root);
                } finally {
                    prometheus.destroy();
                    prometheus.waitFor();
                }
            }
        }
    }

    private static List<String> queryAll(String api, Path root) throws Exception {
        List<String> problems = new ArrayList<>();
        int queries = 0;
        for (DeployFiles.Query query : DeployFiles.dashboardQueries(root)) {
            queries++;
            String problem = seriesProblem(api, query.expr());
            if (problem != null) {
                problems.add(query.source() + ": " + query.expr() + " — " + problem);
            }
        }
        for (DeployFiles.Alert alert : DeployFiles.alerts(root)) {
            queries++;
            JsonNode whole = query(api, alert.expr());
            if (!"success".equals(whole.path("status").asText())) {
                problems.add("alert " + alert.name() + " does not evaluate: " + whole.path("error").asText());
            }
            for (String selector : alert.query().selectors()) {
                queries++;
                String problem = seriesProblem(api, selector);
                if (problem != null) {
                    problems.add("alert " + alert.name() + ", selector " + selector + " — " + problem);
                }
            }
        }
        problems.addAll(ruleProblems(api, DeployFiles.alerts(root).size()));
        System.out.println("live check: " + queries + " queries run against Prometheus");
        if (!problems.isEmpty()) {
            problems.add("metrics the worker exports: " + metricNames(api));
        }
        return problems;
    }

    /** Null when the query returns at least one series. */
    private static String seriesProblem(String api, String expr) throws Exception {
        JsonNode answer = query(api, expr);
        if (!"success".equals(answer.path("status").asText())) {
            return "error: " + answer.path("error").asText();
        }
        return answer.path("data").path("result").isEmpty() ? "no series" : null;
    }

    private static List<String> ruleProblems(String api, int expected) throws Exception {
        List<String> problems = new ArrayList<>();
        int loaded = 0;
        for (JsonNode group : get(api + "/api/v1/rules").path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                loaded++;
                if (!"ok".equals(rule.path("health").asText())) {
                    problems.add("rule " + rule.path("name").asText() + " is " + rule.path("health").asText()
                            + ": " + rule.path("lastError").asText());
                }
            }
        }
        if (loaded != expected) {
            problems.add("Prometheus loaded " + loaded + " rules of the " + expected + " in alerts.yml");
        }
        return problems;
    }

    private static JsonNode query(String api, String expr) throws Exception {
        return get(api + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    }

    private static List<String> metricNames(String api) throws Exception {
        List<String> names = new ArrayList<>();
        get(api + "/api/v1/label/__name__/values").path("data").forEach(n -> names.add(n.asText()));
        return names;
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /**
     * deploy/prometheus/prometheus.yml as it is, but for a 1 s interval, the running worker as the target and the
     * rules by their absolute path: the job's name and everything else stay what the deployment uses.
     */
    private static Process startPrometheus(String binary, Path root, Path work, int metricsPort, int port)
            throws IOException {
        ObjectNode config = (ObjectNode) YAML.readTree(root.resolve(DeployFiles.PROMETHEUS).toFile());
        ((ObjectNode) config.get("global")).put("scrape_interval", "1s").put("evaluation_interval", "1s");
        config.putArray("rule_files").add(root.resolve(DeployFiles.ALERTS).toString());
        for (JsonNode job : config.path("scrape_configs")) {
            ObjectNode only = JSON.createObjectNode();
            only.putArray("targets").add("127.0.0.1:" + metricsPort);
            ((ObjectNode) job).putArray("static_configs").add(only);
        }
        Path configFile = work.resolve("prometheus.yml");
        YAML.writeValue(configFile.toFile(), config);
        return new ProcessBuilder(binary, "--config.file=" + configFile,
                "--storage.tsdb.path=" + work.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
    }

    private static void awaitReady(String api, Process prometheus, Path work) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!prometheus.isAlive()) {
                throw new IllegalStateException("Prometheus stopped: " + Files.readString(work.resolve("prometheus.log")));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(api + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Prometheus was not ready within 60 s: "
                + Files.readString(work.resolve("prometheus.log")));
    }

    /** Until the results stop coming: the sample's count is not fixed once a step fails on one of its requests. */
    private static void awaitResults(Worker worker) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        double last = -1;
        int quiet = 0;
        while (System.nanoTime() < deadline && quiet < 5) {
            Thread.sleep(1_000);
            double now = worker.count("facecheck.results");
            quiet = now > 0 && now == last ? quiet + 1 : 0;
            last = now;
        }
        if (last <= 0) {
            throw new IllegalStateException("the worker wrote no results within 120 s");
        }
    }

    private static List<byte[]> sample() throws IOException {
        try (InputStream in = LivePrometheusCheck.class.getResourceAsStream("/demo/requests.jsonl")) {
            return JsonLines.read(in).stream().map(JsonLines.Line::bytes).toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
