package com.facecheck.app;

import com.facecheck.topology.TopicNames;
import java.nio.file.Path;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The part of the worker's configuration that the operations commands need to find what a worker leaves behind: the
 * cluster and the application id, the topics, the state folder.
 *
 * @param stateDir where the worker keeps its state: {@code streams.state-dir}, or Kafka Streams' own default when that
 *                 is not set, as the worker resolves it
 */
public record OperationsConfig(WorkerConfig.Kafka kafka, TopicNames topics, Path stateDir) {

    static final String KAFKA = "kafka";
    static final String TOPICS = "topics";
    static final String STREAMS = "streams";
    private static final Set<String> NEEDED = Set.of(KAFKA, TOPICS, STREAMS);

    public OperationsConfig {
        if (stateDir == null) {
            stateDir = Path.of((String) StreamsConfig.configDef().defaultValues().get(StreamsConfig.STATE_DIR_CONFIG));
        }
    }

    /** The folder of this application's stores inside the state folder, as Kafka Streams names it. */
    public Path applicationStateDir() {
        return stateDir.resolve(kafka.applicationId());
    }

    /**
     * Whether a configuration problem of {@code key} stops an operations command: every problem but those of the
     * sections it does not read and of the secrets.
     */
    static boolean concerns(String key) {
        String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
        boolean otherSection = ConfigKeys.ROOT.child(section).isPresent() && !NEEDED.contains(section);
        return !otherSection && !key.equals("secrets");
    }
}
