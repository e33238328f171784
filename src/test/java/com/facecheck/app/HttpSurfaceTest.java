package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.facecheck.contract.Json;
import com.facecheck.ops.TopicSetup;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.MixedTraffic;
import com.facecheck.testing.TestTopics;
import com.facecheck.topology.Admission;
import com.facecheck.topology.TopicNames;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's HTTP surface against a real broker and the simulator: liveness from the start, readiness that follows
 * Kafka Streams, and metrics that show every documented name after a run of every kind of request, and nothing
 * personal or secret.
 */
class HttpSurfaceTest {

    private static final String APP_CODE = "http-surface-appcode-3f9a2c";
    private static final String HASH_SECRET = "http-surface-secret-0123456789";
    private static final long DAILY_CALLS = 1000;
    private static final Pattern DOCUMENTED = Pattern.compile("(?m)^\\| `(facecheck_[a-z_]+)`");
    private static final Pattern FAMILY = Pattern.compile("(?m)^# TYPE (facecheck_[a-z_]+) ");

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void healthAndMetricsFollowTheWorkerFromStartToClose() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("surface.");
        TopicSetup.createMissing(bootstrap, names, 2, (short) 1);
        MixedTraffic traffic = MixedTraffic.of("surface-");
        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities());
             HttpSurface surface = new HttpSurface(0)) {
            ProviderUrl url = ProviderUrl.of("http://127.0.0.1:" + simulator.start(0));
            int port = surface.start();

            assertThat(get(port, HttpSurface.LIVE).statusCode()).isEqualTo(200);
            HttpResponse<String> starting = get(port, HttpSurface.READY);
            assertThat(starting.statusCode()).isEqualTo(503);
            assertThat(json(starting).path("streams").asText()).isEqualTo(HttpSurface.STARTING);
            assertThat(get(port, HttpSurface.METRICS).statusCode()).isEqualTo(503);

            WorkerConfig config = WorkerConfig.defaults(bootstrap, url, new Credentials.AppCodeAuth(AppCode.of(APP_CODE)),
                            HASH_SECRET, dir.resolve("worker")).with("kafka.application-id", "surface-worker")
                    .with("topics", names).with("budget.daily-calls", DAILY_CALLS);
            Worker worker = Worker.start(config);
            try {
                surface.serve(worker);
                HttpResponse<String> running = get(port, HttpSurface.READY);
                assertThat(running.statusCode()).isEqualTo(200);
                JsonNode ready = json(running);
                assertThat(ready.path("streams").asText()).isEqualTo("RUNNING");
                assertThat(ready.path("provider").path("circuit").asText()).isEqualTo("closed");
                assertThat(ready.path("provider").path("budgetLeftToday").asLong()).isEqualTo(DAILY_CALLS);

                traffic.send(bootstrap, names);
                traffic.awaitResults(bootstrap, names, Duration.ofSeconds(90));

                // GC pause timers appear at the JVM's first collection after binding, which a short run may not
                // reach on its own (it failed so on a fresh CI fork): collect, and give the notification a moment.
                System.gc();
                HttpResponse<String> scraped = get(port, HttpSurface.METRICS);
                for (int i = 0; i < 50 && !scraped.body().contains("jvm_gc_pause_seconds"); i++) {
                    Thread.sleep(100);
                    scraped = get(port, HttpSurface.METRICS);
                }
                assertThat(scraped.statusCode()).isEqualTo(200);
                assertThat(scraped.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
                String metrics = scraped.body();
                assertThat(families(metrics)).as("every facecheck metric is documented, and every documented one"
                        + " is there").isEqualTo(documented());
                assertThat(metrics).contains("jvm_memory_used_bytes", "jvm_gc_pause_seconds", "jvm_threads_live_threads",
                        "process_cpu_usage", "log4j2_events_total", "disk_free_bytes",
                        "kafka_stream_state_", "kafka_consumer_fetch_manager_records_consumed_total",
                        "kafka_producer_record_send_total");
                double billed = worker.count("facecheck.provider.answers", "billing", "billed");
                assertThat(billed).isPositive();
                assertThat(value(metrics, "facecheck_provider_spend_cny_total{billing=\"billed\"}"))
                        .isCloseTo(billed * 0.20, offset(1e-9));
                assertThat(value(metrics, "facecheck_caps_refused_total{cap=\"per-id\"}")).isEqualTo(1);
                assertThat(value(metrics, "facecheck_requests_duplicates_total")).isEqualTo(1);
                assertThat(value(metrics, "facecheck_dead_letters_total{dlq=\"poison\",reason=\"not-a-request\"}"))
                        .isEqualTo(1);
                assertThat(worker.count("facecheck.results")).isEqualTo(traffic.results());
                assertThat(metrics).doesNotContain(APP_CODE, HASH_SECRET);
                traffic.personalData().forEach(data -> assertThat(metrics).doesNotContain(data));

                double calls = worker.count("facecheck.provider.answers");
                assertThat(json(get(port, HttpSurface.READY)).path("provider").path("budgetLeftToday").asLong())
                        .isEqualTo(DAILY_CALLS - (long) calls);
            } finally {
                worker.close();
            }
            HttpResponse<String> closed = get(port, HttpSurface.READY);
            assertThat(closed.statusCode()).isEqualTo(503);
            assertThat(json(closed).path("streams").asText()).isIn("NOT_RUNNING", "PENDING_SHUTDOWN");
            assertThat(get(port, HttpSurface.LIVE).statusCode()).isEqualTo(200);
        } finally {
            vertx.close();
        }
    }

    @Test
    void aTakenPortFailsAtStartSayingWhich() throws Exception {
        try (ServerSocket taken = new ServerSocket(0); HttpSurface surface = new HttpSurface(taken.getLocalPort())) {
            assertThatThrownBy(surface::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("HTTP port " + taken.getLocalPort() + " is taken");
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    /** The value of the one sample written exactly so. */
    private static double value(String metrics, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("a sample " + sample).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static Set<String> families(String metrics) {
        Set<String> names = new TreeSet<>();
        FAMILY.matcher(metrics).results().forEach(m -> names.add(m.group(1)));
        return names;
    }

    private static Set<String> documented() throws Exception {
        Set<String> names = new TreeSet<>();
        DOCUMENTED.matcher(Files.readString(Path.of("docs/operations.md"))).results()
                .forEach(m -> names.add(m.group(1)));
        return names;
    }
}
