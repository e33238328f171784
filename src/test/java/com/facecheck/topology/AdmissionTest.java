package com.facecheck.topology;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.facecheck.identity.KeyedHasher;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private static final Duration DAY = Admission.DEFAULT_WINDOW;
    private static final Duration CLAIM = Admission.DEFAULT_CLAIM_TIMEOUT;

    @Test
    void eachSettingThatCannotWorkIsNamedByItsKey() {
        assertThatThrownBy(() -> Admission.requireValid(DAY, DAY, 0, 20, CLAIM))
                .hasMessage("caps.per-id must be at least 1, not 0");
        assertThatThrownBy(() -> Admission.requireValid(DAY, DAY, 5, -1, CLAIM))
                .hasMessage("caps.per-name must be at least 1, not -1");
        assertThatThrownBy(() -> Admission.requireValid(DAY, Duration.ZERO, 5, 20, CLAIM))
                .hasMessage("caps.window must be a duration of at least 1 ms, not PT0S");
        assertThatThrownBy(() -> Admission.requireValid(Duration.ofHours(-1), DAY, 5, 20, CLAIM))
                .hasMessageStartingWith("dedup.window ");
        assertThatThrownBy(() -> Admission.requireValid(DAY, DAY, 5, 20, null))
                .hasMessage("caps.claim-timeout must be a duration of at least 1 ms, not null");
    }

    @Test
    void windowsAndTimeoutsCountInWholeMilliseconds() {
        // The window stores would round a shorter one down to nothing.
        assertThatThrownBy(() -> Admission.requireValid(DAY, Duration.ofNanos(999_999), 5, 20, CLAIM))
                .hasMessageStartingWith("caps.window ");
        assertThatNoException().isThrownBy(() -> Admission.requireValid(Duration.ofMillis(1), Duration.ofMillis(1),
                1, 1, Duration.ofMillis(1)));
    }

    @Test
    void anAdmissionIsCheckedByTheSameRule() {
        KeyedHasher keys = new KeyedHasher(new byte[16]);
        assertThatThrownBy(() -> new Admission(keys, DAY, DAY, 5, 0, CLAIM, true)).hasMessageStartingWith("caps.per-name ");
    }
}
