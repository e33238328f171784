package com.facecheck.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysetTest {

    @Test
    void aNewKeyIsAddedWithoutBecomingPrimaryAndPromotionMovesThePrimary() {
        Keyset first = Keyset.generate();
        Keyset added = first.withNewKey();
        int newKey = added.keys().get(1).id();

        assertThat(added.keys()).containsExactly(new Keyset.KeyInfo(first.primaryId(), true, true),
                new Keyset.KeyInfo(newKey, false, true));
        assertThat(added.promote(newKey).keys()).containsExactly(new Keyset.KeyInfo(first.primaryId(), false, true),
                new Keyset.KeyInfo(newKey, true, true));
    }

    @Test
    void promotingAnUnknownKeyListsTheKeysThereAre() {
        Keyset keyset = Keyset.generate();
        int unknown = keyset.primaryId() + 1;

        assertThatThrownBy(() -> keyset.promote(unknown)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no key " + Integer.toUnsignedString(unknown))
                .hasMessageContaining(Integer.toUnsignedString(keyset.primaryId()));
    }

    @Test
    void theJsonFormRoundTripsAndTheTextFormShowsNoMaterial() {
        Keyset keyset = Keyset.generate().withNewKey();
        String json = keyset.toJson();

        assertThat(Keyset.parse(json).keys()).isEqualTo(keyset.keys());
        assertThat(keyset.toString()).contains("redacted").doesNotContain("value").hasSizeLessThan(80);
    }

    @Test
    void theEnvironmentGivesTheKeysetDirectlyOrAsAFile(@TempDir Path dir) throws Exception {
        Keyset keyset = Keyset.generate();
        Path file = Files.writeString(dir.resolve("keyset.json"), keyset.toJson());

        assertThat(Keyset.fromEnvironment(Map.of("FACECHECK_KEYSET", keyset.toJson())).orElseThrow().keys())
                .isEqualTo(keyset.keys());
        assertThat(Keyset.fromEnvironment(Map.of("FACECHECK_KEYSET_FILE", file.toString())).orElseThrow().keys())
                .isEqualTo(keyset.keys());
        assertThat(Keyset.fromEnvironment(Map.of())).isEmpty();
    }

    @Test
    void aKeysetThatIsNotJsonIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> Keyset.fromEnvironment(Map.of("FACECHECK_KEYSET", "secret-looking-text")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FACECHECK_KEYSET")
                .hasMessageContaining("keys create")
                .hasMessageNotContaining("secret-looking-text");
    }

    @Test
    void aKeysetOfAnotherKindOfKeyIsRefused() throws Exception {
        String noPrefix = TinkJsonProtoKeysetFormat.serializeKeyset(
                KeysetHandle.generateNew(PredefinedAeadParameters.AES128_GCM), InsecureSecretKeyAccess.get());

        assertThatThrownBy(() -> Keyset.parse(noPrefix)).hasMessageContaining("not an AES-256-GCM key");
    }
}
