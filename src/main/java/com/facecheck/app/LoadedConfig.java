package com.facecheck.app;

import com.facecheck.topology.TopicNames;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What {@link ConfigLoader} read: the configuration when it can work, else every problem; and each key's effective
 * value with its source, for printing.
 */
public final class LoadedConfig {

    static final String REDACTED = "[redacted]";

    private static final YAMLMapper YAML = YAMLMapper.builder().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
    /** The properties Kafka itself declares as passwords (sasl.jaas.config, ssl.key.password, …). */
    private static final Set<String> KAFKA_PASSWORDS = Stream.of(StreamsConfig.configDef(),
                    ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())
            .flatMap(def -> def.configKeys().values().stream()).filter(key -> key.type == ConfigDef.Type.PASSWORD)
            .map(key -> key.name).collect(Collectors.toUnmodifiableSet());

    private final Map<String, ConfigLoader.Setting> settings;
    private final Map<String, ConfigLoader.Setting> properties;
    private final Map<String, Object> values;
    private final Map<String, Object> sections;
    private final List<ConfigLoader.SecretStatus> secrets;
    private final List<ConfigProblem> problems;
    private final List<ConfigProblem> absentSecrets;
    private final WorkerConfig config;

    LoadedConfig(Map<String, ConfigLoader.Setting> settings, Map<String, ConfigLoader.Setting> properties,
                 Map<String, Object> values, Map<String, Object> sections, List<ConfigLoader.SecretStatus> secrets,
                 List<ConfigProblem> problems, List<ConfigProblem> absentSecrets, WorkerConfig config) {
        this.settings = settings;
        this.properties = properties;
        this.values = values;
        this.sections = Map.copyOf(sections);
        this.secrets = secrets;
        this.problems = List.copyOf(problems);
        this.absentSecrets = List.copyOf(absentSecrets);
        this.config = config;
    }

    /** Every problem but a secret that is not set, which only matters to a worker that starts. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /**
     * The configuration to start the worker with.
     *
     * @throws ConfigException with every problem, a secret that is not set included
     */
    public WorkerConfig workerConfig() {
        if (!problems.isEmpty() || !absentSecrets.isEmpty() || config == null) {
            throw new ConfigException(Stream.concat(problems.stream(), absentSecrets.stream()).toList());
        }
        return config;
    }

    /**
     * What the operations commands ({@code topics describe}, {@code reset}) need: the sections {@code kafka},
     * {@code topics} and {@code streams}. The provider and the secrets are the running worker's alone, so neither
     * their absence nor a mistake in another section stops these commands; a problem of the file itself, or a key
     * that is none (it may be a misspelt key of these sections), does.
     *
     * @throws ConfigException with the problems that concern these sections
     */
    public OperationsConfig operations() {
        List<ConfigProblem> relevant = problems.stream().filter(p -> OperationsConfig.concerns(p.key())).toList();
        if (!relevant.isEmpty()) {
            throw new ConfigException(relevant);
        }
        WorkerConfig.Streams streams = (WorkerConfig.Streams) sections.get(OperationsConfig.STREAMS);
        return new OperationsConfig((WorkerConfig.Kafka) sections.get(OperationsConfig.KAFKA),
                (TopicNames) sections.get(OperationsConfig.TOPICS), streams.stateDir());
    }

    /**
     * The effective configuration as YAML that loads back to the same, each value followed by its source; Kafka
     * passwords redacted, and the secrets as comments saying only whether each is set.
     */
    public String yaml() {
        List<String[]> lines = new ArrayList<>();
        group(ConfigKeys.ROOT, "", lines);
        int width = lines.stream().filter(line -> line[1] != null).mapToInt(line -> line[0].length()).max().orElse(0);
        StringBuilder out = new StringBuilder("# The effective configuration: defaults < file < environment < command"
                + " line. After each value, where it came from.\n");
        for (String[] line : lines) {
            out.append(line[1] == null ? line[0] : String.format("%-" + width + "s  # %s", line[0], line[1]))
                    .append('\n');
        }
        out.append("# Secrets come only from the environment or the files it names, and are never printed:\n");
        for (ConfigLoader.SecretStatus secret : secrets) {
            out.append("#   ").append(secret.variable()).append(": ")
                    .append(secret.setBy() == null ? "not set" : REDACTED + ", set by " + secret.setBy()).append('\n');
        }
        return out.toString();
    }

    private void group(ConfigKeys.Group group, String indent, List<String[]> lines) {
        for (ConfigKeys.Node child : group.children()) {
            if (child instanceof ConfigKeys.Group inner) {
                lines.add(new String[] {indent + inner.name() + ":", null});
                group(inner, indent + "  ", lines);
            } else if (((ConfigKeys.Key) child).isKafkaProperties()) {
                properties(child.name(), indent, lines);
            } else {
                ConfigKeys.Key key = (ConfigKeys.Key) child;
                ConfigLoader.Setting setting = settings.get(key.path());
                Object value = values.get(key.path());
                String shown = value != null ? scalar(key.kind().write().apply(value))
                        : values.containsKey(key.path()) || key.kind().echoes() ? scalar(setting.value())
                        : scalar(TextNode.valueOf("[not valid]"));
                lines.add(new String[] {indent + key.name() + ": " + shown, setting.source()
                        + (key.required() && setting.value().isNull() ? ", required" : "")});
            }
        }
    }

    private void properties(String name, String indent, List<String[]> lines) {
        if (properties.isEmpty()) {
            lines.add(new String[] {indent + name + ": {}", "none given"});
            return;
        }
        lines.add(new String[] {indent + name + ":", null});
        properties.forEach((property, setting) -> lines.add(new String[] {indent + "  "
                + scalar(TextNode.valueOf(property)) + ": "
                + scalar(isPassword(property) ? TextNode.valueOf(REDACTED) : setting.value()),
                setting.source().toString()}));
    }

    /** Kafka's own passwords under any prefix (producer., main.consumer., …), and whatever is named like one. */
    private static boolean isPassword(String property) {
        return property.contains("password") || property.contains("secret")
                || KAFKA_PASSWORDS.stream().anyMatch(p -> property.equals(p) || property.endsWith("." + p));
    }

    /** One value as YAML: quoted where YAML would read it as something else; a section or list in flow style. */
    private static String scalar(JsonNode node) {
        if (node.isContainerNode()) {
            return node.toString();
        }
        if (node.isTextual() && node.asText().isEmpty()) {
            return "\"\"";
        }
        try {
            return YAML.writeValueAsString(node).strip();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
