package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.facecheck.contract.Outcome;
import com.facecheck.contract.PersonFields;
import com.facecheck.crypto.Keyset;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.provider.RetryPolicy;
import com.facecheck.topology.CallSetup;
import com.facecheck.topology.TopicNames;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String APP_CODE = "appcode-loader-test-7f3a";
    private static final String HASH_SECRET = "hash-secret-loader-test-0123456789";
    private static final Keyset KEYSET = Keyset.generate();
    private static final Map<String, String> SECRETS = Map.of(Credentials.APPCODE_ENV, APP_CODE,
            Secrets.HASH_SECRET_ENV, HASH_SECRET, Keyset.ENV, KEYSET.toJson());

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("facecheck.yaml"), yaml);
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(SECRETS);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static ConfigLoader.Flag set(String key, String value) {
        return new ConfigLoader.Flag(key, value, "--set");
    }

    private static LoadedConfig load(Path file, Map<String, String> env, ConfigLoader.Flag... flags) {
        List<ConfigLoader.Flag> all = new ArrayList<>(List.of(set("kafka.bootstrap-servers", "broker:9092"),
                set("provider.url", "https://api.example.cn")));
        all.addAll(List.of(flags));
        return ConfigLoader.load(new ConfigLoader.Sources(file, env, all));
    }

    private static List<String> lines(LoadedConfig loaded) {
        return loaded.problems().stream().map(ConfigProblem::line).toList();
    }

    @Test
    void withNothingButWhereKafkaAndTheProviderAreEveryKeyHasItsDefault() {
        WorkerConfig loaded = load(null, env()).workerConfig();
        WorkerConfig defaults = WorkerConfig.defaults("broker:9092", ProviderUrl.of("https://api.example.cn"),
                new Credentials.AppCodeAuth(AppCode.of(APP_CODE)), HASH_SECRET, null);
        assertThat(loaded.with("secrets", null)).isEqualTo(defaults.with("secrets", null));
        assertThat(loaded.secrets().hashSecret()).isEqualTo(HASH_SECRET);
        assertThat(loaded.secrets().keyset().keys()).isEqualTo(KEYSET.keys());
        assertThat(loaded.secrets().credentials().headers("POST", "/facecheck", Map.of()))
                .containsEntry("Authorization", "APPCODE " + APP_CODE);
    }

    @Test
    void theFileOverridesDefaultsTheEnvironmentTheFileAndFlagsTheEnvironment() throws IOException {
        Path file = file("""
                caps:
                  per-id: 7
                  per-name: 30
                  window: 12h
                kafka:
                  properties:
                    security.protocol: SASL_PLAINTEXT
                    client.rack: rack-a
                """);
        Map<String, String> env = env("FACECHECK_CAPS_PER_ID", "8", "FACECHECK_CAPS_PER_NAME", "31",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "PLAIN");
        WorkerConfig config = load(file, env, set("caps.per-id", "9"),
                new ConfigLoader.Flag("kafka.properties.sasl.mechanism", "SCRAM-SHA-512", "--kafka-config"))
                .workerConfig();
        assertThat(config.caps()).isEqualTo(new WorkerConfig.Caps(9, 31, Duration.ofHours(12),
                WorkerConfig.DEFAULTS.caps().claimTimeout()));
        assertThat(config.kafka().properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL", "client.rack", "rack-a", "sasl.mechanism", "SCRAM-SHA-512"));
        assertThat(config.kafka().bootstrapServers()).isEqualTo("broker:9092");
    }

    @Test
    void everyKindOfValueIsReadFromTextAsFromYaml() throws IOException {
        Path file = file("""
                provider:
                  call-timeout: PT2S
                  calls-per-second: 12.5
                  on-unavailable: dead-letter
                  price-per-call: 0.35
                  retry:
                    max-attempts: 2
                    first-backoff: 100ms
                    max-backoff: 1m
                    deadline: 2d
                results:
                  person-fields: [masked-name, birthday]
                """);
        WorkerConfig config = load(file, env("FACECHECK_STREAMS_STATE_DIR", "/var/lib/facecheck",
                "FACECHECK_TOPICS_RESULTS_FACE_MISMATCH", "mismatches", "FACECHECK_BUDGET_DAILY_CALLS", "5000"))
                .workerConfig();
        assertThat(config.provider().callTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.provider().callsPerSecond()).isEqualTo(12.5);
        assertThat(config.provider().onUnavailable()).isEqualTo(CallSetup.OnUnavailable.DEAD_LETTER);
        assertThat(config.provider().pricePerCall()).isEqualByComparingTo(new BigDecimal("0.35"));
        assertThat(config.provider().retry()).isEqualTo(new RetryPolicy(2, Duration.ofMillis(100),
                Duration.ofMinutes(1), Duration.ofDays(2)));
        assertThat(config.results().personFields()).isEqualTo(PersonFields.of(PersonFields.Field.MASKED_NAME,
                PersonFields.Field.BIRTHDAY));
        assertThat(config.streams().stateDir()).isEqualTo(Path.of("/var/lib/facecheck"));
        assertThat(config.topics().resultTopic(Outcome.FACE_MISMATCH)).isEqualTo("mismatches");
        assertThat(config.topics().resultTopic(Outcome.VERIFIED)).isEqualTo("facecheck.result.verified");
        assertThat(config.budget().dailyCalls()).isEqualTo(5000);
    }

    @Test
    void aFileWithThreeMistakesGivesThreeProblemsEachNamingKeyValueAndFile() throws IOException {
        Path file = file("""
                caps:
                  per-id: five
                  window: -1s
                provider:
                  max-in-flight: 0
                """);
        LoadedConfig loaded = load(file, env());
        assertThat(lines(loaded)).containsExactly(
                "provider.max-in-flight = 0 (file " + file + "): must be greater than or equal to 1",
                "caps.per-id = five (file " + file + "): expected a whole number",
                "caps.window = -1s (file " + file + "): expected a duration such as 30s, 24h, 100ms or PT30S");
        assertThatThrownBy(loaded::workerConfig).isInstanceOf(ConfigException.class)
                .hasMessage(String.join("\n", lines(loaded)));
    }

    @Test
    void anUnknownKeyIsRefusedWithTheNearestKey() throws IOException {
        Path file = file("""
                caps:
                  per_id: 3
                per-name: 4
                provdier:
                  url: https://x.example.cn
                """);
        LoadedConfig loaded = load(file, env("FACECHECK_CAPS_PERID", "3"), set("caps.window-size", "1h"));
        assertThat(lines(loaded)).containsExactly(
                "caps.per_id (file " + file + "): is not a key; did you mean caps.per-id?",
                "per-name (file " + file + "): is not a key; did you mean caps.per-name?",
                "provdier (file " + file + "): is not a key; did you mean provider?",
                "FACECHECK_CAPS_PERID (environment): is not a setting; did you mean FACECHECK_CAPS_PER_ID?",
                "caps.window-size (flag --set): is not a key; did you mean caps.window?");
    }

    @Test
    void valuesOfTheWrongShapeAreProblemsOfTheirKey() throws IOException {
        Path file = file("""
                caps: 5
                dedup:
                  window: [1h, 2h]
                kafka:
                  properties: SASL_SSL
                budget:
                  daily-calls:
                """);
        assertThat(lines(load(file, env()))).containsExactly(
                "caps = 5 (file " + file + "): expected a section with the keys [per-id, per-name, window,"
                        + " claim-timeout]",
                "kafka.properties (file " + file + "): expected Kafka properties by their full names, such as"
                        + " 'security.protocol: SASL_SSL'",
                "dedup.window = a list (file " + file + "): expected a duration such as 30s, 24h, 100ms or PT30S, not"
                        + " a list",
                "budget.daily-calls (file " + file + "): has no value: give one, or leave the key out for its"
                        + " default");
    }

    @Test
    void aSecretInTheFileOrOnTheCommandLineIsRefusedSayingWhereItGoes() throws IOException {
        Path file = file("""
                provider:
                  appcode: file-appcode-value
                hash-secret: file-hash-secret-value
                """);
        LoadedConfig loaded = load(file, env(), set("provider.app-secret", "flag-secret-value"));
        assertThat(lines(loaded)).containsExactly(
                "provider.appcode (file " + file + "): a secret is never read from the configuration file: remove it,"
                        + " and set FACECHECK_APPCODE (or FACECHECK_APPCODE_FILE, naming a file that holds it) in the"
                        + " environment",
                "hash-secret (file " + file + "): a secret is never read from the configuration file: remove it, and"
                        + " set FACECHECK_HASH_SECRET (or FACECHECK_HASH_SECRET_FILE, naming a file that holds it) in"
                        + " the environment",
                "provider.app-secret (flag --set): a secret is never read from the command line (it would show in the"
                        + " process list): remove it, and set FACECHECK_APPSECRET (or FACECHECK_APPSECRET_FILE, naming"
                        + " a file that holds it) in the environment");
        assertThat(loaded.yaml()).doesNotContain("file-appcode-value").doesNotContain("file-hash-secret-value")
                .doesNotContain("flag-secret-value");
    }

    @Test
    void theRecordsOwnChecksAreProblemsOfTheirSection() throws IOException {
        Path file = file("""
                provider:
                  retry:
                    first-backoff: 2s
                    max-backoff: 1s
                topics:
                  name-claims: facecheck.exchange
                  name-answers: facecheck.exchange
                results:
                  person-fields: masked-id-number,birthday
                """);
        List<String> lines = lines(load(file, env("KAFKA_NUM_STREAM_THREADS", "4"),
                set("provider.url", "https://alice:pa55word@api.example.cn")));
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("provider.url (flag --set): the provider URL 'https://…@api.example.cn'"
                + " carries a user name or password");
        assertThat(lines.get(1)).startsWith("results.person-fields = masked-id-number,birthday (file " + file + "):"
                + " result person fields [masked-id-number,birthday]: masked-id-number cannot go with birthday");
        assertThat(lines.subList(2, 5)).containsExactly(
                "kafka: the Kafka property num.stream.threads is the key streams.threads here: set that instead"
                        + " (FACECHECK_STREAMS_THREADS, the file or --set)",
                "topics: the name-exchange topics (facecheck.exchange, facecheck.exchange) must be two topics of their"
                        + " own, used for nothing else",
                "provider.retry: max-backoff (PT1S) must be at least first-backoff (PT2S)");
        assertThat(String.join("\n", lines)).doesNotContain("pa55word");
    }

    @Test
    void aFileThatIsNotYamlIsOneProblemThatQuotesNoneOfIt() throws IOException {
        Path file = file("""
                caps:
                  per-id: 5: appcode-in-a-broken-line
                """);
        assertThat(lines(load(file, env()))).singleElement().asString()
                .startsWith(file + ": is not valid YAML at line 2, column 12 (")
                .doesNotContain("appcode-in-a-broken-line");
        assertThat(lines(load(dir.resolve("missing.yaml"), env()))).containsExactly(dir.resolve("missing.yaml")
                + ": no such file: give the path of a YAML configuration file");
        Files.writeString(file, "caps:\n  per-id: 3\ncaps:\n  per-id: 4\n");
        assertThat(lines(load(file, env()))).singleElement().asString().contains("Duplicate field 'caps'");
    }

    @Test
    void secretsThatAreNotSetMatterOnlyToAWorkerThatStarts() throws IOException {
        LoadedConfig loaded = load(null, Map.of());
        assertThat(loaded.problems()).isEmpty();
        assertThatThrownBy(loaded::workerConfig).isInstanceOf(ConfigException.class)
                .hasMessage("secrets: no provider credentials: set FACECHECK_APPCODE, or FACECHECK_APPKEY and"
                        + " FACECHECK_APPSECRET (each may be given as a file with _FILE)\n"
                        + "secrets: FACECHECK_HASH_SECRET is not set: set it (or FACECHECK_HASH_SECRET_FILE, naming a"
                        + " file that holds it) to a long random value, the same on every instance\n"
                        + "secrets: FACECHECK_KEYSET is not set: create a keyset with './facecheck keys create FILE' and"
                        + " set FACECHECK_KEYSET_FILE to that file (or FACECHECK_KEYSET to its content), the same on"
                        + " every instance");

        Path hashFile = Files.writeString(dir.resolve("hash"), HASH_SECRET + "\n");
        Path keysetFile = Files.writeString(dir.resolve("keyset.json"), KEYSET.toJson());
        WorkerConfig fromFiles = load(null, Map.of(Credentials.APPKEY_ENV, "key", Credentials.APPSECRET_ENV, "secret",
                Secrets.HASH_SECRET_ENV + Credentials.FILE_SUFFIX, hashFile.toString(),
                Keyset.ENV + Credentials.FILE_SUFFIX, keysetFile.toString())).workerConfig();
        assertThat(fromFiles.secrets().credentials()).isInstanceOf(Credentials.SignatureAuth.class);
        assertThat(fromFiles.secrets().hashSecret()).isEqualTo(HASH_SECRET);
        assertThat(fromFiles.secrets().keyset().keys()).isEqualTo(KEYSET.keys());

        assertThat(lines(load(null, Map.of(Credentials.APPKEY_ENV, "key", Secrets.HASH_SECRET_ENV, "short"))))
                .containsExactly("secrets: signature mode needs both FACECHECK_APPKEY and FACECHECK_APPSECRET (or"
                                + " their _FILE variants); only one is set",
                        "secrets: the hash secret must be at least 16 bytes: set FACECHECK_HASH_SECRET to a long random"
                                + " value, the same on every instance");
    }

    @Test
    void theKeysetComesOnlyFromTheEnvironmentAndIsNeverShownWhenItIsWrong() throws IOException {
        Path file = file("keyset: '{\"primaryKeyId\": 1}'\n");

        assertThat(lines(load(file, env()))).containsExactly("keyset (file " + file + "): a secret is never read from"
                + " the configuration file: remove it, and set FACECHECK_KEYSET (or FACECHECK_KEYSET_FILE, naming a"
                + " file that holds it) in the environment");
        assertThat(lines(load(null, env(Keyset.ENV, "keyset-text-that-is-not-json")))).singleElement().asString()
                .startsWith("secrets: FACECHECK_KEYSET (or FACECHECK_KEYSET_FILE): the keyset is not a Tink JSON keyset")
                .doesNotContain("keyset-text-that-is-not-json");
    }

    @Test
    void thePrintedConfigurationShowsSourcesRedactsSecretsAndLoadsBackToTheSame() throws IOException {
        Path file = file("""
                caps:
                  per-name: 30
                kafka:
                  properties:
                    sasl.jaas.config: PlainLoginModule required username="u" password="kafka-pw-in-file";
                """);
        LoadedConfig loaded = load(file, env("FACECHECK_CAPS_PER_ID", "8", "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SSL_KEY_PASSWORD", "key-pw-in-env"), set("dedup.window", "PT36H"));
        String yaml = loaded.yaml();
        assertThat(yaml).doesNotContain(APP_CODE).doesNotContain(HASH_SECRET).doesNotContain("kafka-pw-in-file")
                .doesNotContain("key-pw-in-env");
        assertThat(yaml.lines().map(line -> line.strip().replaceAll(" +", " "))).contains(
                "per-id: 8 # environment FACECHECK_CAPS_PER_ID",
                "per-name: 30 # file " + file,
                "window: 36h # flag --set",
                "claim-timeout: 5m # default",
                "bootstrap-servers: broker:9092 # flag --set",
                "sasl.jaas.config: \"[redacted]\" # file " + file,
                "ssl.key.password: \"[redacted]\" # environment KAFKA_SSL_KEY_PASSWORD",
                "security.protocol: SASL_SSL # environment KAFKA_SECURITY_PROTOCOL",
                "# FACECHECK_APPCODE: [redacted], set by FACECHECK_APPCODE",
                "# FACECHECK_APPKEY: not set",
                "# FACECHECK_HASH_SECRET: [redacted], set by FACECHECK_HASH_SECRET",
                "# FACECHECK_KEYSET: [redacted], set by FACECHECK_KEYSET");

        Path printed = Files.writeString(dir.resolve("printed.yaml"), yaml.replace("\"[redacted]\"", "x"));
        WorkerConfig again = ConfigLoader.load(new ConfigLoader.Sources(printed, SECRETS, List.of())).workerConfig();
        assertThat(again.with("kafka.properties", Map.of()).with("secrets", null))
                .isEqualTo(loaded.workerConfig().with("kafka.properties", Map.of()).with("secrets", null));
    }

    @Test
    void consentIsRequiredUnlessTheFileTheEnvironmentOrAFlagSaysFalseAndNothingButTrueOrFalseIsTaken()
            throws IOException {
        assertThat(load(null, env()).workerConfig().requests().requireConsent()).isTrue();
        Path file = file("""
                requests:
                  require-consent: false
                """);
        assertThat(load(file, env()).workerConfig().requests().requireConsent()).isFalse();
        assertThat(load(file, env("FACECHECK_REQUESTS_REQUIRE_CONSENT", " TRUE")).workerConfig().requests()
                .requireConsent()).isTrue();
        assertThat(load(null, env("FACECHECK_REQUESTS_REQUIRE_CONSENT", "false")).workerConfig().requests()
                .requireConsent()).isFalse();
        assertThat(load(file, env(), set("requests.require-consent", "true")).workerConfig().requests()
                .requireConsent()).isTrue();
        assertThat(load(file, env()).yaml().lines().map(line -> line.strip().replaceAll(" +", " ")))
                .contains("require-consent: false # file " + file);

        Path yamlWord = file("""
                requests:
                  require-consent: off
                """);
        assertThat(load(yamlWord, env()).workerConfig().requests().requireConsent()).isFalse();
        assertThat(load(null, env("FACECHECK_REQUESTS_REQUIRE_CONSENT", "Off")).workerConfig().requests()
                .requireConsent()).as("what the file would mean").isFalse();
        assertThat(lines(load(null, env("FACECHECK_REQUESTS_REQUIRE_CONSENT", "n")))).containsExactly(
                "requests.require-consent = n (environment FACECHECK_REQUESTS_REQUIRE_CONSENT): expected true or"
                        + " false");
        Path wrong = file("""
                requests:
                  require-consent: 1
                """);
        assertThat(lines(load(wrong, env()))).containsExactly(
                "requests.require-consent = 1 (file " + wrong + "): expected true or false");
        assertThat(lines(load(null, env(), set("requests.require-consent", "")))).containsExactly(
                "requests.require-consent = \"\" (flag --set): expected true or false");
    }

    @Test
    void everyKeyHasAVariableOfItsOwnMadeFromItsPath() {
        List<String> variables = ConfigKeys.all().stream().map(ConfigKeys.Key::environmentVariable).toList();
        assertThat(new HashSet<>(variables)).hasSameSizeAs(variables);
        assertThat(variables).contains("FACECHECK_PROVIDER_CALL_TIMEOUT", "FACECHECK_PROVIDER_RETRY_MAX_ATTEMPTS",
                "FACECHECK_TOPICS_RESULTS_NO_PHOTO_ON_FILE", "FACECHECK_SHUTDOWN_DRAIN_TIMEOUT", "KAFKA_<NAME>");
        assertThat(variables).doesNotContainAnyElementsOf(Secrets.VARIABLES)
                .doesNotContainAnyElementsOf(ConfigLoader.OTHER_VARIABLES);
    }

    @Test
    void theToolsGetTheTopicsWithoutSecretsOrTheProviderButNotFromSectionsOfTheirsWithAProblem() throws IOException {
        Path file = file("""
                topics:
                  retryable-dead-letters: ops.dlq.retryable
                """);
        List<ConfigLoader.Flag> bootstrap = List.of(new ConfigLoader.Flag("kafka.bootstrap-servers", "kafka:9092",
                "--bootstrap-servers"));
        LoadedConfig bare = ConfigLoader.load(new ConfigLoader.Sources(file,
                Map.of("FACECHECK_TOPICS_PARKED_DEAD_LETTERS", "ops.dlq.parked"), bootstrap));
        TopicNames topics = bare.operations().topics();
        assertThat(topics.retryableDeadLetters()).isEqualTo("ops.dlq.retryable");
        assertThat(topics.parkedDeadLetters()).isEqualTo("ops.dlq.parked");
        assertThat(topics.requests()).isEqualTo("facecheck.requests");
        assertThat(bare.problems()).as("run still needs it").extracting(ConfigProblem::key).contains("provider.url");

        LoadedConfig clash = ConfigLoader.load(new ConfigLoader.Sources(file("""
                topics:
                  parked-dead-letters: facecheck.requests
                caps:
                  per-id: 0
                """), Map.of(), bootstrap));
        assertThatThrownBy(clash::operations).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(ConfigProblem::key)
                        .containsExactly("topics"));
    }
}
