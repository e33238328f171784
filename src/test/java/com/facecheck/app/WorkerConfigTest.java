package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.facecheck.contract.Outcome;
import com.facecheck.contract.PersonFields;
import com.facecheck.identity.KeyedHasher;
import com.facecheck.provider.AppCode;
import com.facecheck.provider.Credentials;
import com.facecheck.provider.ProviderUrl;
import com.facecheck.topology.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
        assertThatThrownBy(() -> config("", "https://p", "0123456789abcdef0123"))
                .hasMessageContaining("bootstrap servers");
        assertThatThrownBy(() -> config("localhost:9092", "https://p", "short"))
                .hasMessageContaining("FACECHECK_HASH_SECRET");
    }

    @Test
    void resultsShowOnlyTheMaskedNameUnlessConfiguredOtherwise() {
        WorkerConfig defaults = config("localhost:9092", "https://p", "0123456789abcdef0123");
        assertThat(defaults.resultPersonFields()).isEqualTo(PersonFields.DEFAULT);
        assertThat(PersonFields.DEFAULT.fields()).containsExactly(PersonFields.Field.MASKED_NAME);

        PersonFields chosen = PersonFields.parse("birthday, sex,region");
        WorkerConfig configured = defaults.withResultPersonFields(chosen).withApplicationId("other");
        assertThat(configured.resultPersonFields().fields())
                .containsExactly(PersonFields.Field.BIRTHDAY, PersonFields.Field.SEX, PersonFields.Field.REGION);
        assertThat(configured.toString()).contains("resultPersonFields=[birthday,sex,region]");
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
    void itsTextNeverShowsTheSecrets() {
        String text = config("localhost:9092", "https://p", "hash-secret-0123456789").toString();
        assertThat(text).doesNotContain("hash-secret-0123456789").doesNotContain("appcode-1234").contains("redacted");
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
        assertThatThrownBy(() -> new TopicNames("in", Map.of(), "r", "p", "r", "answers"))
                .hasMessageContaining("name-exchange topics");
        assertThat(names.exchange()).isEqualTo(TopicNames.defaults().exchange())
                .containsExactly("facecheck.internal.name-claims", "facecheck.internal.name-answers");
    }

    @Test
    void limitsThatCannotWorkFailAtStartUp() {
        WorkerConfig valid = config("localhost:9092", "https://p", "hash-secret-0123456789");
        var limits = WorkerConfig.Limits.DEFAULT;
        // The limits are checked by Admission's rule, which names each setting's key.
        assertThatThrownBy(() -> new WorkerConfig.Limits(0, 20, limits.capWindow(), limits.dedupWindow(), 0,
                limits.claimTimeout()))
                .hasMessage("caps.per-id must be at least 1, not 0");
        assertThatThrownBy(() -> new WorkerConfig.Limits(5, 20, limits.capWindow(), limits.dedupWindow(), 0,
                Duration.ZERO))
                .hasMessageStartingWith("claim-timeout ");
        assertThat(valid.withLimits(new WorkerConfig.Limits(3, 7, limits.capWindow(), limits.dedupWindow(), 0,
                limits.claimTimeout()))
                .limits().admission(new KeyedHasher(new byte[16]))).extracting(a -> a.perId() + "/" + a.perName())
                .isEqualTo("3/7");
        assertThatThrownBy(() -> new WorkerConfig.Limits(5, 20, limits.capWindow(), limits.dedupWindow(), -1,
                limits.claimTimeout()))
                .hasMessageContaining("budget.daily-calls");
        assertThatThrownBy(() -> valid.withStandbyReplicas(-1)).hasMessageContaining("standby replicas");
        assertThat(valid.withStandbyReplicas(1).standbyReplicas()).isEqualTo(1);
    }
}
