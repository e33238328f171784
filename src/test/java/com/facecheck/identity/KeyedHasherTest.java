package com.facecheck.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyedHasherTest {

    @Test
    void aSecretShorterThanSixteenBytesIsRefused() {
        assertThat(KeyedHasher.isUsable(new byte[16])).isTrue();
        assertThat(KeyedHasher.isUsable(new byte[15])).isFalse();
        assertThat(KeyedHasher.isUsable(null)).isFalse();
        assertThatThrownBy(() -> new KeyedHasher(new byte[15])).hasMessage("the hash secret must be at least 16 bytes:"
                + " set FACECHECK_HASH_SECRET to a long random value, the same on every instance");
        assertThatThrownBy(() -> KeyedHasher.requireUsable(null)).hasMessageContaining("FACECHECK_HASH_SECRET");
    }

    @Test
    void partsAreLengthPrefixed() {
        KeyedHasher keys = new KeyedHasher(new byte[16]);
        assertThat(keys.hex("ab", "c")).isNotEqualTo(keys.hex("a", "bc")).hasSize(64);
    }
}
