package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.facecheck.ops.TopicSetup;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.testing.KafkaBroker;
import com.facecheck.testing.TestTopics;
import com.facecheck.topology.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker that cannot reach RUNNING in time says which setting gives it more, instead of a bare timeout. */
class WorkerStartTest {

    @TempDir
    Path dir;

    @Test
    void aStartSlowerThanTheStartTimeoutNamesTheSettingToRaise() {
        String bootstrap = KafkaBroker.bootstrapServers();
        TopicNames names = TestTopics.prefixed("start-timeout.");
        TopicSetup.createMissing(bootstrap, names, 1, (short) 1);
        WorkerConfig config = WorkerConfig.defaults(bootstrap, ProviderUrl.of("http://127.0.0.1:1"),
                        new Credentials.AppCodeAuth(AppCode.of("start-timeout-appcode")),
                        "start-timeout-secret-0123456789", dir)
                .with("kafka.application-id", "start-timeout").with("topics", names)
                .with("streams.start-timeout", Duration.ofMillis(1));

        assertThatThrownBy(() -> Worker.start(config)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not reach RUNNING within 1 ms").hasMessageContaining("streams.start-timeout");
    }
}
