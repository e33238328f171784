package com.facecheck.testing;

import com.facecheck.app.Worker;
import com.facecheck.app.WorkerConfig;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.topology.TopicNames;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A worker in its own process, for tests that must kill one the way a crash would (SIGKILL, no clean close).
 * Arguments: bootstrap servers, provider URL, AppCode, application id, state folder, topic prefix.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        TopicNames names = TestTopics.prefixed(args[5]);
        WorkerConfig config = WorkerConfig.defaults(args[0], ProviderUrl.of(args[1]), new Credentials.AppCodeAuth(AppCode.of(args[2])),
                        "crash-test-secret-0123456789", Path.of(args[4]))
                .with("kafka.application-id", args[3]).with("topics", names).with("kafka.properties", crashFriendly());
        Worker.start(config);
        System.out.println("RUNNING");
        new CountDownLatch(1).await();
    }

    /** Short session and transaction timeouts, so a killed worker's partitions and open transaction move on soon. */
    public static Map<String, String> crashFriendly() {
        return Map.of("consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "1000",
                "producer.transaction.timeout.ms", "5000");
    }
}
