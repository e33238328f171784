package com.facecheck.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.facecheck.app.ConfigLoader;
import com.facecheck.app.WorkerConfig;
import com.facecheck.contract.Outcome;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.topology.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContenderTest {

    private static final TopicNames TOPICS = TopicNames.defaults().withPrefix("run-7.").withRequests("bench.requests");
    private static final Contender.Launch LAUNCH = new Contender.Launch("127.0.0.1:9092", TOPICS, "run-7",
            ProviderUrl.of("http://127.0.0.1:8089"), "bench-appcode", Scenario.of(200, 1024).rateLimited(50),
            Path.of("/tmp/run-7/state"), 25, Path.of("flink.jar"), Path.of("/tmp/run-7/stats.json"), null);

    @Test
    void theWorkerContendersReadTheirRunFromTheEnvironmentAsRunDoes() {
        for (Contender contender : List.of(Contender.FACECHECK, Contender.SYNCHRONOUS, Contender.PLAIN)) {
            WorkerConfig config = ConfigLoader.load(new ConfigLoader.Sources(null, contender.environment(LAUNCH),
                    List.of())).workerConfig();
            assertThat(config.topics()).isEqualTo(TOPICS);
            assertThat(config.kafka().applicationId()).isEqualTo("run-7");
            assertThat(config.provider().maxInFlight()).isEqualTo(1024);
            assertThat(config.provider().callsPerSecond()).isEqualTo(50.0);
            assertThat(config.streams().commitInterval()).isEqualTo(Duration.ofMillis(25));
            assertThat(config.streams().stateDir()).isEqualTo(Path.of("/tmp/run-7/state"));
        }
    }

    @Test
    void flinkGetsTheResultTopicsInCodeOrderAndItsCapacity() {
        List<String> command = Contender.FLINK.command(LAUNCH);
        String topics = command.get(command.indexOf("--result-topics") + 1);
        assertThat(topics.split(",")).hasSize(10);
        assertThat(topics.split(",")[Outcome.ID_NOT_FOUND.code()]).isEqualTo(TOPICS.resultTopic(Outcome.ID_NOT_FOUND));
        assertThat(command.get(command.indexOf("--capacity") + 1)).isEqualTo("1024");
        assertThat(command.get(command.indexOf("--checkpoint-interval-ms") + 1)).isEqualTo("25");
        assertThat(Contender.FLINK.environment(LAUNCH)).containsOnlyKeys("FACECHECK_APPCODE");
    }

    @Test
    void contendersAreNamedByKey() {
        assertThat(Contender.ofKey(" Flink ")).isEqualTo(Contender.FLINK);
        assertThatThrownBy(() -> Contender.ofKey("spark")).hasMessageContaining("facecheck, synchronous, plain, flink");
    }
}
