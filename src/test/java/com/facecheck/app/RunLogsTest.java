package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.contract.Json;
import com.facecheck.ops.TopicSetup;
import com.facecheck.provider.AppCode;
import com.facecheck.simulator.ProviderSimulator;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.MixedTraffic;
import com.facecheck.testing.TestTopics;
import com.facecheck.testing.WorkerMain;
import com.facecheck.topology.TopicNames;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process logging as {@code run} does, at DEBUG, through every kind of request: every line of its whole log
 * is a JSON object with ECS fields, lines about a request carry its id, partition and outcome as fields, and nowhere
 * is a name, an ID number, a piece of the photo, the AppCode or the hash secret.
 */
class RunLogsTest {

    private static final String APP_CODE = "run-logs-appcode-51c7e0";

    @TempDir
    Path dir;

    @Test
    void aRunLogsJsonLinesWithEcsFieldsAndNothingPersonalOrSecret() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("runlogs.");
        TopicSetup.createMissing(bootstrap, names, 2, (short) 1);
        MixedTraffic traffic = MixedTraffic.of("runlogs-");
        Path log = dir.resolve("worker.log");
        Vertx vertx = Vertx.vertx();
        try (ProviderSimulator simulator = new ProviderSimulator(vertx,
                ProviderSimulator.Accounts.appCodeOnly(AppCode.of(APP_CODE)), ProviderSimulator.defaultIdentities())) {
            String url = "http://127.0.0.1:" + simulator.start(0);
            Process worker = WorkerMain.start(List.of(bootstrap, url, APP_CODE, "runlogs-worker",
                            dir.resolve("state").toString(), "runlogs."),
                    Map.of("FACECHECK_LOG_LEVEL", "DEBUG", "FACECHECK_KAFKA_LOG_LEVEL", "INFO"),
                    dir.resolve("worker.out"), log);
            try {
                traffic.send(bootstrap, names);
                traffic.awaitResults(bootstrap, names, Duration.ofSeconds(90));
            } finally {
                worker.destroy();
                assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("the worker stops on SIGTERM").isTrue();
            }
        } finally {
            vertx.close();
        }

        String whole = Files.readString(log);
        assertThat(whole).doesNotContain(APP_CODE, WorkerMain.HASH_SECRET);
        traffic.personalData().forEach(data -> assertThat(whole).doesNotContain(data));

        List<JsonNode> lines = new ArrayList<>();
        for (String line : whole.split("\n")) {
            JsonNode event = Json.MAPPER.readTree(line);
            assertThat(event.isObject()).as(line).isTrue();
            assertThat(event.path("ecs.version").asText()).as(line).isNotEmpty();
            assertThat(Instant.parse(event.path("@timestamp").asText())).isNotNull();
            assertThat(event.path("log.level").asText()).as(line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
            assertThat(event.path("log.logger").asText()).as(line).isNotEmpty();
            assertThat(event.path("message").isTextual()).as(line).isTrue();
            assertThat(event.path("service.name").asText()).as(line).isEqualTo("facecheck-streams");
            lines.add(event);
        }
        assertThat(lines).as("Kafka's INFO lines, as FACECHECK_KAFKA_LOG_LEVEL asks")
                .anyMatch(e -> e.path("log.logger").asText().startsWith("org.apache.kafka")
                        && e.path("log.level").asText().equals("INFO"));
        assertThat(lines).as("a line per result at DEBUG, with the request's fields")
                .filteredOn(e -> e.path("log.level").asText().equals("DEBUG") && e.has("request.id"))
                .hasSize(traffic.results())
                .allMatch(e -> e.path("outcome").isTextual() && e.path("partition").asText().matches("[0-9]+"));
        assertThat(lines).as("the poison record's line names its partition, not its content")
                .anyMatch(e -> e.path("message").asText().contains("is not readable") && e.has("partition"));
        assertThat(lines).as("a request that failed after its retries: on the retryable dead letters")
                .anyMatch(e -> e.path("log.level").asText().equals("WARN") && e.path("outcome").asText().equals("failed")
                        && e.path("message").asText().contains("retryable dead letters"));
    }
}
