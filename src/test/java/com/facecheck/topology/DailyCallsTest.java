package com.facecheck.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.facecheck.identity.ChinaCalendar;
import com.facecheck.identity.CheckCharacter;
import com.facecheck.identity.IdCheck;
import com.facecheck.identity.IdNumbers;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class DailyCallsTest {

    /** 04:00 on 30 November in Beijing. */
    private static final Instant LATE_EVENING_UTC = Instant.parse("2026-11-29T20:00:00Z");

    private static KeyValueStore<String, Long> store() {
        KeyValueStore<String, Long> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DailyCalls.STORE),
                Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    @Test
    void theBudgetsDayIsTheDayTheBirthDateIsCheckedOn() {
        KeyValueStore<String, Long> store = store();
        DailyCalls budget = new DailyCalls(store, 1, (day, spent) -> { });

        budget.spend(Instant.parse("2026-11-29T15:59:59Z")); // 23:59:59 on 29 November in Beijing
        assertThat(budget.exhausted(LATE_EVENING_UTC)).isFalse();
        budget.spend(LATE_EVENING_UTC);
        Clock clock = Clock.fixed(LATE_EVENING_UTC, ZoneOffset.UTC);
        assertThat(store.get(ChinaCalendar.today(clock).toString())).isEqualTo(1L);
        String bornThatDay = "11010520261130002";
        assertThat(IdNumbers.check(bornThatDay + CheckCharacter.of(bornThatDay), ChinaCalendar.today(clock)))
                .isInstanceOf(IdCheck.Valid.class);

        assertThat(budget.exhausted(Instant.parse("2026-11-30T15:59:59Z"))).isTrue();
        assertThat(budget.exhausted(Instant.parse("2026-11-30T16:00:00Z"))).isFalse(); // 00:00 on 1 December
    }
}
