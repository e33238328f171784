package com.facecheck.cli;

import com.facecheck.app.ConfigLoader;
import com.facecheck.topology.TopicNames;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The worker's topic names for the tools that read its dead letters: from the configuration {@code run} reads (the
 * file and the {@code FACECHECK_TOPICS_…} variables), so that a deployment with topics of its own needs no second
 * list of them; the defaults otherwise.
 */
final class TopicConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "the worker's YAML configuration (docs/configuration.md), for its topic names; the"
                    + " FACECHECK_TOPICS_… variables apply too. Kafka is reached with --bootstrap-servers and"
                    + " --kafka-config, as by the other tools")
    private Path file;

    /**
     * @throws com.facecheck.app.ConfigException with every problem of the configuration, as {@code run} reports them
     */
    TopicNames names(Map<String, String> environment) {
        return ConfigLoader.load(new ConfigLoader.Sources(file, environment, List.of())).topics();
    }
}
