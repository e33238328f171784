package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.facecheck.contract.Json;
import com.facecheck.contract.Outcome;
import com.facecheck.contract.PersonFields;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.topology.Admission;
import com.facecheck.topology.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigTest {

    @TempDir
    Path dir;

    private WorkerConfig config(String bootstrap, String url, String secret) {
        return WorkerConfig.defaults(bootstrap, ProviderUrl.of(url), new Credentials.AppCodeAuth(AppCode.of("appcode-1234")), secret, dir);
    }

    @Test
    void mistakesFailAtStartUpNamingTheSetting() {
        assertThatThrownBy(() -> config("", "https://p", "0123456789abcdef0123").requireValid())
                .isInstanceOf(ConfigException.class)
                .hasMessage("kafka.bootstrap-servers: is not set: give it in the configuration file, as"
                        + " FACECHECK_KAFKA_BOOTSTRAP_SERVERS, or with --set kafka.bootstrap-servers=…");
        assertThatThrownBy(() -> config("localhost:9092", "https://p", "short"))
                .hasMessageContaining("FACECHECK_HASH_SECRET");
    }

    @Test
    void resultsShowOnlyTheMaskedNameUnlessConfiguredOtherwise() {
        WorkerConfig defaults = config("localhost:9092", "https://p", "0123456789abcdef0123");
        assertThat(defaults.results().personFields()).isEqualTo(PersonFields.DEFAULT);
        assertThat(PersonFields.DEFAULT.fields()).containsExactly(PersonFields.Field.MASKED_NAME);

        PersonFields chosen = PersonFields.parse("birthday, sex,region");
        WorkerConfig configured = defaults.with("results.person-fields", chosen).with("kafka.application-id", "other");
        assertThat(configured.results().personFields().fields())
                .containsExactly(PersonFields.Field.BIRTHDAY, PersonFields.Field.SEX, PersonFields.Field.REGION);
        assertThat(configured.kafka().applicationId()).isEqualTo("other");
        assertThat(configured.toString()).contains("personFields=[birthday,sex,region]");
    }

    @Test
    void requestsWithoutConsentAreRefusedUnlessConfiguredOtherwiseAndTheAdmissionSaysSo() {
        WorkerConfig defaults = config("localhost:9092", "https://p", "0123456789abcdef0123");
        KeyedHasher keys = new KeyedHasher(new byte[16]);
        assertThat(defaults.requests().requireConsent()).isTrue();
        assertThat(defaults.admission(keys).requireConsent()).isTrue();

        WorkerConfig lenient = defaults.with("requests.require-consent", false);
        assertThat(lenient.admission(keys).requireConsent()).isFalse();
        assertThat(lenient.admission(keys).withCaps(1, 1).requireConsent()).as("kept by the other settings").isFalse();
        assertThatThrownBy(() -> defaults.with("requests.require-consent", "false"))
                .hasMessage("requests.require-consent takes a boolean, not a String");
    }

    @Test
    void theMaskedIdNumberWithBirthdaySexOrRegionIsRefusedWhenConfigured() {
        for (PersonFields.Field narrowing : new PersonFields.Field[] {PersonFields.Field.BIRTHDAY,
                PersonFields.Field.SEX, PersonFields.Field.REGION}) {
            assertThatThrownBy(() -> PersonFields.of(PersonFields.Field.MASKED_ID_NUMBER, narrowing))
                    .as(narrowing.label()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("masked-id-number cannot go with birthday, sex or region")
                    .hasMessageContaining("9 for 35020319900101123X");
        }
        assertThatThrownBy(() -> PersonFields.parse("masked-id-number,birthday"))
                .hasMessageContaining("[masked-id-number,birthday]");
        assertThatThrownBy(() -> PersonFields.parse("masked-name,adress"))
                .hasMessageContaining("'adress' is not a person field").hasMessageContaining("region");
        assertThat(PersonFields.parse("masked-name,masked-id-number").fields()).hasSize(2);
        assertThat(PersonFields.parse("").fields()).as("personId only").isEmpty();
    }

    @Test
    void itsTextNeverShowsTheSecrets() throws Exception {
        WorkerConfig config = config("localhost:9092", "https://p", "hash-secret-0123456789")
                .with("kafka.properties", Map.of("sasl.jaas.config", "PlainLoginModule password=\"kafka-pw\";"));
        String keyMaterial = Json.MAPPER.readTree(config.secrets().keyset().toJson()).at("/key/0/keyData/value").asText();
        String text = config.toString();
        assertThat(keyMaterial).isNotBlank();
        assertThat(text).doesNotContain("hash-secret-0123456789").doesNotContain("appcode-1234")
                .doesNotContain("kafka-pw").doesNotContain(keyMaterial).contains("keyset=[redacted]")
                .contains("sasl.jaas.config");
    }

    @Test
    void credentialsComeFromTheEnvironmentOrFiles() throws Exception {
        assertThat(Credentials.fromEnvironment(Map.of(Credentials.APPCODE_ENV, " abc "))).isInstanceOf(Credentials.AppCodeAuth.class)
                .asString().doesNotContain("abc");
        Path secret = Files.writeString(dir.resolve("secret"), "from-file\n");
        assertThat(Credentials.fromEnvironment(Map.of(Credentials.APPKEY_ENV, "k",
                Credentials.APPSECRET_ENV + Credentials.FILE_SUFFIX, secret.toString())))
                .isInstanceOf(Credentials.SignatureAuth.class);
        assertThatThrownBy(() -> Credentials.fromEnvironment(Map.of())).hasMessageContaining(Credentials.APPCODE_ENV)
                .hasMessageContaining(Credentials.APPKEY_ENV);
        assertThatThrownBy(() -> Credentials.fromEnvironment(Map.of(Credentials.APPKEY_ENV, "k")))
                .hasMessageContaining("only one is set");
        assertThatThrownBy(() -> Credentials.fromEnvironment(Map.of(Credentials.APPCODE_ENV + Credentials.FILE_SUFFIX,
                dir.resolve("none").toString()))).hasMessageContaining("cannot be read");
    }

    @Test
    void topicNamesFillInDefaultsAndRefuseNonsense() {
        TopicNames names = new TopicNames("in", Map.of(Outcome.THROTTLED, "later", Outcome.FAILED, "later"), "r", "p");
        assertThat(names.resultTopic(Outcome.VERIFIED)).isEqualTo("facecheck.result.verified");
        assertThat(names.resultTopic(Outcome.FAILED)).isEqualTo("later");
        assertThat(names.all()).containsOnlyOnce("later").startsWith("in");
        assertThat(names.outputs()).containsOnlyOnce("later").endsWith("r", "p").doesNotContain("in");
        assertThatThrownBy(() -> new TopicNames("in put", Map.of(), "r", "p")).hasMessageContaining("Kafka topic name");
        assertThatThrownBy(() -> new TopicNames("x", Map.of(Outcome.VERIFIED, "x"), "r", "p"))
                .hasMessageContaining("both the request topic and a result topic");
        assertThatThrownBy(() -> new TopicNames("in", Map.of(), "r", "p", "parked", "audit", "r", "answers"))
                .hasMessageContaining("name-exchange topics");
        assertThatThrownBy(() -> new TopicNames("in", Map.of(), "r", "p", "r", "audit", "claims", "answers"))
                .hasMessageContaining("a topic of their own");
        assertThatThrownBy(() -> new TopicNames("in", Map.of(), "r", "p", "parked", "parked", "claims", "answers"))
                .hasMessageContaining("a topic of their own");
        assertThat(names.all()).contains("facecheck.dlq.parked", "facecheck.audit");
        assertThat(names.exchange()).isEqualTo(TopicNames.defaults().exchange())
                .containsExactly("facecheck.internal.name-claims", "facecheck.internal.name-answers");
    }

    @Test
    void everyValueOutOfRangeIsReportedAtOnceByItsKey() {
        WorkerConfig valid = config("localhost:9092", "https://p", "hash-secret-0123456789");
        valid.requireValid();
        WorkerConfig wrong = valid.with("caps.per-id", 0).with("caps.claim-timeout", Duration.ZERO)
                .with("budget.daily-calls", -1L).with("streams.standby-replicas", -1);
        assertThatThrownBy(wrong::requireValid).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).problems().stream().map(ConfigProblem::line).toList())
                .asInstanceOf(InstanceOfAssertFactories.list(String.class))
                .containsExactly("budget.daily-calls = -1: must be 0 (no budget) or more",
                        "caps.claim-timeout = 0s: must be at least 1ms",
                        "caps.per-id = 0: must be greater than or equal to 1",
                        "streams.standby-replicas = -1: must be greater than or equal to 0");
    }

    @Test
    void theCapsGoToAdmissionAsConfigured() {
        WorkerConfig config = config("localhost:9092", "https://p", "hash-secret-0123456789")
                .with("caps.per-id", 3).with("caps.per-name", 7).with("dedup.window", Duration.ofHours(1));
        Admission admission = config.admission(new KeyedHasher(new byte[16]));
        assertThat(admission.perId()).isEqualTo(3);
        assertThat(admission.perName()).isEqualTo(7);
        assertThat(admission.dedupWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(admission.capWindow()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void withRefusesKeysThatDoNotExistAndValuesOfAnotherType() {
        WorkerConfig config = config("localhost:9092", "https://p", "hash-secret-0123456789");
        assertThatThrownBy(() -> config.with("caps.per-idd", 3)).hasMessageContaining("no key 'per-idd'")
                .hasMessageContaining("per-id");
        assertThatThrownBy(() -> config.with("caps.per-id", "3")).hasMessage("caps.per-id takes a int, not a String");
        assertThat(config.with("streams.standby-replicas", 1).streams().standbyReplicas()).isEqualTo(1);
    }

    @Test
    void aKafkaPropertyThatIsAKeyHereIsRefusedNamingTheKey() {
        WorkerConfig config = config("localhost:9092", "https://p", "hash-secret-0123456789");
        assertThatThrownBy(() -> config.with("kafka.properties", Map.of("num.stream.threads", "4")))
                .hasMessageContaining("the Kafka property num.stream.threads is the key streams.threads here");
    }
}
