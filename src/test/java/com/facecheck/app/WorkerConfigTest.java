package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.facecheck.contract.Outcome;
import com.facecheck.provider.AppCode;
import com.facecheck.topology.TopicNames;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigTest {

    @TempDir
    Path dir;

    private WorkerConfig config(String bootstrap, String url, String secret) {
        return WorkerConfig.defaults(bootstrap, URI.create(url), AppCode.of("appcode-1234"), secret, dir);
    }

    @Test
    void mistakesFailAtStartUpNamingTheSetting() {
        assertThatThrownBy(() -> config("", "https://p", "0123456789abcdef0123"))
                .hasMessageContaining("bootstrap servers");
        assertThatThrownBy(() -> config("localhost:9092", "ftp://p", "0123456789abcdef0123"))
                .hasMessageContaining("provider URL");
        assertThatThrownBy(() -> config("localhost:9092", "https://p", "short"))
                .hasMessageContaining("FACECHECK_HASH_SECRET");
    }

    @Test
    void itsTextNeverShowsTheSecrets() {
        String text = config("localhost:9092", "https://p", "hash-secret-0123456789").toString();
        assertThat(text).doesNotContain("hash-secret-0123456789").doesNotContain("appcode-1234").contains("redacted");
    }

    @Test
    void theAppCodeComesFromTheEnvironmentOrAFile() throws Exception {
        assertThat(AppCode.fromEnvironment(Map.of(AppCode.ENV, " abc ")).toString()).doesNotContain("abc");
        Path file = Files.writeString(dir.resolve("appcode"), "from-file\n");
        AppCode fromFile = AppCode.fromEnvironment(Map.of(AppCode.FILE_ENV, file.toString()));
        assertThat(fromFile).isNotNull();
        assertThatThrownBy(() -> AppCode.fromEnvironment(Map.of())).hasMessageContaining(AppCode.ENV)
                .hasMessageContaining(AppCode.FILE_ENV);
        assertThatThrownBy(() -> AppCode.fromEnvironment(Map.of(AppCode.FILE_ENV, dir.resolve("none").toString())))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void topicNamesFillInDefaultsAndRefuseNonsense() {
        TopicNames names = new TopicNames("in", Map.of(Outcome.THROTTLED, "later", Outcome.FAILED, "later"), "r", "p");
        assertThat(names.resultTopic(Outcome.VERIFIED)).isEqualTo("facecheck.result.verified");
        assertThat(names.resultTopic(Outcome.FAILED)).isEqualTo("later");
        assertThat(names.all()).containsOnlyOnce("later").startsWith("in").endsWith("r", "p");
        assertThatThrownBy(() -> new TopicNames("in put", Map.of(), "r", "p")).hasMessageContaining("Kafka topic name");
        assertThatThrownBy(() -> new TopicNames("x", Map.of(Outcome.VERIFIED, "x"), "r", "p"))
                .hasMessageContaining("both the request topic and a result topic");
    }
}
