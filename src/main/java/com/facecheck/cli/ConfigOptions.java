package com.facecheck.cli;

import com.facecheck.app.ConfigLoader;
import com.facecheck.app.LoadedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options that give the worker's configuration, the same for {@code run} and {@code config}. They override the
 * file and the environment; {@code --set} reaches every key.
 */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (docs/configuration.md)")
    private Path file;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]",
            description = "the Kafka cluster's brokers (key kafka.bootstrap-servers)")
    private String bootstrapServers;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "the Kafka Streams application id, the same for every instance (key kafka.application-id)")
    private String applicationId;

    @Option(names = "--provider-url", paramLabel = "URL", description = "where the provider is (key provider.url)")
    private String providerUrl;

    @Option(names = "--kafka-config", paramLabel = "NAME=VALUE", split = ",",
            description = "Kafka client and Streams properties, passed through untouched, e.g."
                    + " security.protocol=SASL_SSL,sasl.mechanism=PLAIN")
    private Map<String, String> kafkaConfig = new LinkedHashMap<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any key, e.g. --set caps.per-id=3 (repeatable)")
    private Map<String, String> settings = new LinkedHashMap<>();

    /** The configuration from the defaults, the file, {@code environment} and these options. */
    LoadedConfig load(Map<String, String> environment) {
        List<ConfigLoader.Flag> flags = new ArrayList<>();
        settings.forEach((key, value) -> flags.add(new ConfigLoader.Flag(key, value, "--set")));
        kafkaConfig.forEach((name, value) -> flags.add(new ConfigLoader.Flag(ConfigLoader.KAFKA_PROPERTIES + "." + name,
                value, "--kafka-config")));
        named(flags, "kafka.bootstrap-servers", bootstrapServers, "--bootstrap-servers");
        named(flags, "kafka.application-id", applicationId, "--application-id");
        named(flags, "provider.url", providerUrl, "--provider-url");
        return ConfigLoader.load(new ConfigLoader.Sources(file, environment, flags));
    }

    private static void named(List<ConfigLoader.Flag> flags, String key, String value, String option) {
        if (value != null) {
            flags.add(new ConfigLoader.Flag(key, value, option));
        }
    }
}
