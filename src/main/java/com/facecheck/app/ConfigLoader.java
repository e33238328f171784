package com.facecheck.app;

import com.facecheck.crypto.Keyset;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.provider.Credentials;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the configuration from its sources, each overriding the one before: the keys' defaults, a YAML file, the
 * environment ({@code FACECHECK_…} for every key, {@code KAFKA_…} for Kafka properties), the command line. Secrets
 * come from the environment or the files it names, never from the file or the command line.
 *
 * <p>Nothing found stops the reading: unknown keys, values of the wrong type, values out of range and the records'
 * own checks are all collected, so that one start-up reports every problem. Jackson reads the YAML, but the records
 * are built here, one key and one section at a time, because a data binder stops at the first problem.
 */
public final class ConfigLoader {

    /** Variables of the {@code FACECHECK_} family that are not keys: read by the logging setup and the launcher. */
    static final Set<String> OTHER_VARIABLES = Set.of("FACECHECK_LOG_LEVEL", "FACECHECK_KAFKA_LOG_LEVEL",
            "FACECHECK_LOG_FORMAT", "FACECHECK_JAVA_OPTS");
    /** A flag for a Kafka property is this, a dot and the property's name. */
    public static final String KAFKA_PROPERTIES = "kafka.properties";

    // Decimals as written: 0.20 read as a double would come back as 0.2.
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)).build();
    private static final Object FAILED = new Object();

    /**
     * A value given on the command line.
     *
     * @param key    a key, or {@code kafka.properties.NAME} for a Kafka property
     * @param option the option that gave it, e.g. {@code --set}
     */
    public record Flag(String key, String value, String option) {
    }

    /**
     * Where the configuration comes from.
     *
     * @param file        the YAML file, or null for none
     * @param environment the process's environment
     * @param flags       values from the command line; a later one wins over an earlier one
     */
    public record Sources(Path file, Map<String, String> environment, List<Flag> flags) {
    }

    /** Where a value came from: {@code default}, {@code file app.yaml}, {@code environment FACECHECK_…}, {@code flag --set}. */
    record Source(String kind, String where) {

        static final Source DEFAULT = new Source("default", null);

        @Override
        public String toString() {
            return where == null ? kind : kind + " " + where;
        }
    }

    /** A value as given, before it is read as its key's type. */
    record Setting(JsonNode value, Source source) {
    }

    /** A secret's variable, and which variable set it ({@code …_FILE} for a file); null when it is not set. */
    record SecretStatus(String variable, String setBy) {
    }

    private final Map<String, Setting> settings = new LinkedHashMap<>();
    private final Map<String, Setting> properties = new TreeMap<>();
    private final Map<String, Object> values = new HashMap<>();
    /** Each section that could be built, by its path: commands that need some sections only need not wait for all. */
    private final Map<String, Object> sections = new HashMap<>();
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final List<ConfigProblem> absentSecrets = new ArrayList<>();

    private ConfigLoader() {
    }

    /** Reads every source; the result holds the configuration, or every problem found. */
    public static LoadedConfig load(Sources sources) {
        ConfigLoader loader = new ConfigLoader();
        loader.readDefaults();
        if (sources.file() != null) {
            loader.readFile(sources.file());
        }
        loader.readEnvironment(sources.environment());
        sources.flags().forEach(loader::readFlag);
        loader.readValues();
        Secrets secrets = loader.readSecrets(sources.environment());
        Object built = loader.build(ConfigKeys.ROOT, secrets);
        return new LoadedConfig(loader.settings, loader.properties, loader.values, loader.sections,
                secretStatus(sources.environment()), loader.problems, loader.absentSecrets,
                built instanceof WorkerConfig config ? config : null);
    }

    private void readDefaults() {
        for (ConfigKeys.Key key : ConfigKeys.all()) {
            if (!key.isKafkaProperties()) {
                Object value = key.defaultValue();
                settings.put(key.path(), new Setting(value == null ? NullNode.instance : key.kind().write().apply(value),
                        Source.DEFAULT));
            }
        }
    }

    private void readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            problems.add(new ConfigProblem(file.toString(), null, null, Files.isDirectory(file)
                    ? "is a folder: give the configuration file" : "no such file: give the path of a YAML configuration file"));
            return;
        }
        JsonNode tree;
        try {
            tree = YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            // The parser's first line only: the lines after it quote the file, which may hold a secret.
            String reason = e.getOriginalMessage().lines().findFirst().orElse("unreadable");
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            problems.add(new ConfigProblem(file.toString(), null, null, "is not valid YAML" + where + " (" + reason
                    + "): give keys as 'section:' then '  key: value' lines"));
            return;
        } catch (CharacterCodingException e) {
            problems.add(new ConfigProblem(file.toString(), null, null, "is not UTF-8 text: save it as UTF-8"));
            return;
        } catch (IOException e) {
            problems.add(new ConfigProblem(file.toString(), null, null, "cannot be read ("
                    + e.getClass().getSimpleName() + "): check that this user may read it"));
            return;
        }
        Source source = new Source("file", file.toString());
        if (tree.isObject()) {
            readGroup(tree, ConfigKeys.ROOT, source);
        } else if (!tree.isMissingNode() && !tree.isNull()) {
            problems.add(new ConfigProblem(file.toString(), null, null, "holds no keys: start with a section such as"
                    + " 'kafka:' and its keys below it"));
        }
    }

    private void readGroup(JsonNode node, ConfigKeys.Group group, Source source) {
        node.fields().forEachRemaining(field -> {
            String path = group.path().isEmpty() ? field.getKey() : group.path() + "." + field.getKey();
            JsonNode value = field.getValue();
            Optional<ConfigKeys.Node> known = group.child(field.getKey());
            if (secretVariable(field.getKey()).isPresent()) {
                refuseSecret(path, source, "the configuration file");
            } else if (known.isEmpty()) {
                unknownKey(path, source);
            } else if (known.get() instanceof ConfigKeys.Group child) {
                if (value.isObject()) {
                    readGroup(value, child, source);
                } else if (!value.isNull()) {
                    problems.add(new ConfigProblem(path, shown(value), source.toString(), "expected a section with the"
                            + " keys " + child.children().stream().map(ConfigKeys.Node::name).toList()));
                }
            } else if (((ConfigKeys.Key) known.get()).isKafkaProperties()) {
                readProperties(path, value, source);
            } else {
                settings.put(path, new Setting(value, source));
            }
        });
    }

    private void readProperties(String path, JsonNode node, Source source) {
        if (!node.isObject()) {
            if (!node.isNull()) {
                problems.add(new ConfigProblem(path, null, source.toString(), "expected Kafka properties by their full"
                        + " names, such as 'security.protocol: SASL_SSL'"));
            }
            return;
        }
        node.fields().forEachRemaining(field -> {
            if (field.getValue().isValueNode()) {
                properties.put(field.getKey(), new Setting(field.getValue(), source));
            } else {
                problems.add(new ConfigProblem(path + "." + field.getKey(), null, source.toString(), "expected one"
                        + " value: give Kafka properties by their full names, such as 'security.protocol: SASL_SSL'"));
            }
        });
    }

    /**
     * Every {@code FACECHECK_} variable the program reads: the keys', the secrets' (each also with {@code _FILE}) and
     * {@link #OTHER_VARIABLES}. Any other is refused; deployment manifests are checked against this set.
     */
    static Set<String> environmentVariables() {
        Set<String> known = new TreeSet<>(ConfigKeys.byEnvironmentVariable().keySet());
        known.addAll(secretVariables());
        known.addAll(OTHER_VARIABLES);
        return known;
    }

    private static Set<String> secretVariables() {
        return Secrets.VARIABLES.stream().flatMap(v -> Stream.of(v, v + Credentials.FILE_SUFFIX))
                .collect(Collectors.toSet());
    }

    private void readEnvironment(Map<String, String> environment) {
        Map<String, ConfigKeys.Key> byVariable = ConfigKeys.byEnvironmentVariable();
        Set<String> read = environmentVariables();
        new TreeMap<>(environment).forEach((name, value) -> {
            Source source = new Source("environment", name);
            if (name.startsWith(ConfigKeys.KAFKA_ENVIRONMENT_PREFIX)
                    && name.length() > ConfigKeys.KAFKA_ENVIRONMENT_PREFIX.length()) {
                properties.put(ConfigKeys.kafkaProperty(name), new Setting(TextNode.valueOf(value), source));
            } else if (byVariable.containsKey(name)) {
                settings.put(byVariable.get(name).path(), new Setting(TextNode.valueOf(value), source));
            } else if (name.startsWith(ConfigKeys.ENVIRONMENT_PREFIX) && !read.contains(name)) {
                // Suggested: a key's variable or a secret's, never the launcher's or the logging's.
                List<String> known = new ArrayList<>(byVariable.keySet());
                known.addAll(secretVariables());
                problems.add(new ConfigProblem(name, null, "environment", "is not a setting"
                        + ConfigKeys.nearest(name, known).map(n -> "; did you mean " + n + "?")
                        .orElse(": the variables are listed in docs/configuration.md")));
            }
        });
    }

    private void readFlag(Flag flag) {
        Source source = new Source("flag", flag.option());
        String key = flag.key();
        if (key.startsWith(KAFKA_PROPERTIES + ".") && key.length() > KAFKA_PROPERTIES.length() + 1) {
            properties.put(key.substring(KAFKA_PROPERTIES.length() + 1), new Setting(TextNode.valueOf(flag.value()),
                    source));
        } else if (secretVariable(key.substring(key.lastIndexOf('.') + 1)).isPresent()) {
            refuseSecret(key, source, "the command line (it would show in the process list)");
        } else if (ConfigKeys.key(key).isEmpty()) {
            unknownKey(key, source);
        } else {
            settings.put(key, new Setting(TextNode.valueOf(flag.value()), source));
        }
    }

    /** Each key's value read as its type and checked against its constraints; a failed key is left out. */
    private void readValues() {
        for (ConfigKeys.Key key : ConfigKeys.all()) {
            if (key.isKafkaProperties()) {
                continue;
            }
            Setting setting = settings.get(key.path());
            String given = key.kind().echoes() && !setting.value().isNull() ? shown(setting.value()) : null;
            String source = setting.source() == Source.DEFAULT ? null : setting.source().toString();
            Object value;
            try {
                value = setting.value().isNull() ? null : key.kind().read().apply(setting.value());
                if (value == null && key.type().isPrimitive()) {
                    throw new IllegalArgumentException("has no value: give one, or leave the key out for its"
                            + " default");
                }
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(key.path(), given, source, e.getMessage()));
                continue;
            }
            List<String> wrong = ConfigCheck.problems(key, value);
            wrong.forEach(message -> problems.add(new ConfigProblem(key.path(), given, source, message)));
            if (wrong.isEmpty()) {
                values.put(key.path(), value);
            }
        }
    }

    /** The secrets, or null with the reason among the problems (or among the absent secrets, when none is set). */
    private Secrets readSecrets(Map<String, String> environment) {
        boolean credentialsGiven = Stream.of(Credentials.APPCODE_ENV, Credentials.APPKEY_ENV, Credentials.APPSECRET_ENV)
                .anyMatch(v -> given(environment, v) != null);
        Credentials credentials = null;
        try {
            credentials = Credentials.fromEnvironment(environment);
        } catch (IllegalArgumentException e) {
            (credentialsGiven ? problems : absentSecrets).add(new ConfigProblem("secrets", null, null, e.getMessage()));
        }
        String hashSecret = null;
        try {
            hashSecret = Credentials.secret(environment, Secrets.HASH_SECRET_ENV).orElse(null);
            if (hashSecret == null) {
                absentSecrets.add(new ConfigProblem("secrets", null, null, Secrets.HASH_SECRET_ENV + " is not set: set"
                        + " it (or " + Secrets.HASH_SECRET_ENV + Credentials.FILE_SUFFIX + ", naming a file that holds"
                        + " it) to a long random value, the same on every instance"));
            } else {
                KeyedHasher.requireUsable(hashSecret.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem("secrets", null, null, e.getMessage()));
            hashSecret = null;
        }
        Keyset keyset = null;
        try {
            keyset = Keyset.fromEnvironment(environment).orElse(null);
            if (keyset == null) {
                absentSecrets.add(new ConfigProblem("secrets", null, null, Keyset.ENV + " is not set: create a keyset"
                        + " with './facecheck keys create FILE' and set " + Keyset.ENV + Credentials.FILE_SUFFIX
                        + " to that file (or " + Keyset.ENV + " to its content), the same on every instance"));
            }
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem("secrets", null, null, e.getMessage()));
        }
        return credentials == null || hashSecret == null || keyset == null ? null
                : new Secrets(credentials, hashSecret, keyset);
    }

    private static List<SecretStatus> secretStatus(Map<String, String> environment) {
        return Secrets.VARIABLES.stream().map(v -> new SecretStatus(v, given(environment, v))).toList();
    }

    /** The variable that gives a secret: itself, else its file variant; null when neither is set. */
    private static String given(Map<String, String> environment, String variable) {
        return Stream.of(variable, variable + Credentials.FILE_SUFFIX)
                .filter(v -> environment.get(v) != null && !environment.get(v).isBlank()).findFirst().orElse(null);
    }

    /**
     * A group's record (or enum-keyed map) from its keys' values, bottom up; FAILED when a key in it failed (already
     * a problem) or its record's own check fails (then a problem of the group).
     */
    private Object build(ConfigKeys.Group group, Secrets secrets) {
        if (group.isEnumMap()) {
            Map<Enum<?>, Object> entries = new LinkedHashMap<>();
            for (ConfigKeys.Node entry : group.children()) {
                if (!values.containsKey(entry.path())) {
                    return FAILED;
                }
                entries.put(((ConfigKeys.Key) entry).entry(), values.get(entry.path()));
            }
            return ConfigKeys.enumMap(group.type(), entries);
        }
        RecordComponent[] components = group.type().getRecordComponents();
        Object[] args = new Object[components.length];
        boolean complete = true;
        for (int i = 0; i < components.length; i++) {
            if (components[i].getType() == Secrets.class) {
                args[i] = secrets;
                complete &= secrets != null;
                continue;
            }
            ConfigKeys.Node child = group.child(ConfigKeys.kebab(components[i].getName())).orElseThrow();
            Object value = child instanceof ConfigKeys.Group g ? build(g, secrets) : value((ConfigKeys.Key) child);
            complete &= value != FAILED;
            args[i] = value;
        }
        if (!complete) {
            return FAILED;
        }
        try {
            Object section = ConfigKeys.construct(group.type(), args);
            sections.put(group.path(), section);
            return section;
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(group.path(), null, null, e.getMessage()));
            return FAILED;
        }
    }

    private Object value(ConfigKeys.Key key) {
        if (key.isKafkaProperties()) {
            Map<String, String> given = new TreeMap<>();
            properties.forEach((name, setting) -> given.put(name, setting.value().asText()));
            return given;
        }
        return values.containsKey(key.path()) ? values.get(key.path()) : FAILED;
    }

    private void unknownKey(String path, Source source) {
        ConfigKeys.Group group = ConfigKeys.enclosingGroup(path);
        List<String> candidates = new ArrayList<>();
        group.children().forEach(child -> candidates.add(child.path()));
        ConfigKeys.all().forEach(key -> candidates.add(key.path()));
        problems.add(new ConfigProblem(path, null, source.toString(), "is not a key"
                + ConfigKeys.nearest(path, candidates).map(n -> "; did you mean " + n + "?")
                .orElse("; the keys " + (group.path().isEmpty() ? "at the top" : "of " + group.path()) + " are "
                        + group.children().stream().map(ConfigKeys.Node::name).toList())));
    }

    private void refuseSecret(String path, Source source, String where) {
        String variable = secretVariable(path.substring(path.lastIndexOf('.') + 1)).orElseThrow();
        problems.add(new ConfigProblem(path, null, source.toString(), "a secret is never read from " + where
                + ": remove it, and set " + variable + " (or " + variable + Credentials.FILE_SUFFIX + ", naming a file"
                + " that holds it) in the environment"));
    }

    /** The variable of the secret a key names, in any spelling: {@code app-code}, {@code appCode}, {@code hash_secret}. */
    private static Optional<String> secretVariable(String name) {
        String bare = name.toLowerCase(Locale.ROOT).replaceAll("[-_.]", "");
        return Secrets.VARIABLES.stream().filter(v -> v.substring(ConfigKeys.ENVIRONMENT_PREFIX.length())
                .toLowerCase(Locale.ROOT).replace("_", "").equals(bare)).findFirst();
    }

    /** A value as a problem may show it: short, and a section or list by its kind. */
    private static String shown(JsonNode value) {
        if (value.isObject()) {
            return "a section";
        }
        if (value.isArray()) {
            return "a list";
        }
        String text = value.asText();
        return text.isEmpty() ? "\"\"" : text.length() > 80 ? text.substring(0, 77) + "…" : text;
    }
}
