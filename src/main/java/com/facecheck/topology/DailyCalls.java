package com.facecheck.topology;

import com.facecheck.identity.ChinaCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjLongConsumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task's share of {@code budget.daily-calls}: like the rate, the budget is split over the partitions, so the
 * tasks together never exceed it without coordinating. The day's count is kept in a changelogged store, so a
 * restart does not forget what was spent.
 */
final class DailyCalls {

    static final String STORE = "facecheck-daily-calls";

    private static final Logger LOG = LoggerFactory.getLogger(DailyCalls.class);

    private final KeyValueStore<String, Long> store;
    private final long share;
    private final ObjLongConsumer<String> counted;
    private String day;
    /** When (epoch ms) {@link #day} ends; 0 until the first call. */
    private long nextDayAt;
    private long spent;

    /**
     * @param share   this task's calls per day; {@link Long#MAX_VALUE} for no budget
     * @param counted told the day (ISO date) and its count whenever it is read or changes, for the worker's budget
     *                gauge
     */
    DailyCalls(KeyValueStore<String, Long> store, long share, ObjLongConsumer<String> counted) {
        this.store = store;
        this.share = share;
        this.counted = counted;
    }

    static StoreBuilder<KeyValueStore<String, Long>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long());
    }

    /** The share of {@code partition} when {@code budget} calls a day are split over {@code partitions}. */
    static long share(long budget, int partitions, int partition) {
        if (budget <= 0) {
            return Long.MAX_VALUE;
        }
        return budget / partitions + (partition < budget % partitions ? 1 : 0);
    }

    /** Reads the day's count from the (restored) store, so that the budget gauge counts this task from the start. */
    void load(Instant now) {
        if (share != Long.MAX_VALUE) {
            spentOn(now);
        }
    }

    boolean exhausted(Instant now) {
        return share != Long.MAX_VALUE && spentOn(now) >= share;
    }

    void spend(Instant now) {
        if (share == Long.MAX_VALUE) {
            return;
        }
        long count = spentOn(now) + 1;
        spent = count;
        store.put(day, count);
        counted.accept(day, count);
        if (count == share) {
            LOG.error("ALERT the daily call budget share of this task ({} calls) is spent: its calls wait until"
                    + " 00:00 Asia/Shanghai; raise budget.daily-calls to spend more", share);
        }
    }

    String reason() {
        return "the daily call budget is spent; calls resume at 00:00 Asia/Shanghai";
    }

    private long spentOn(Instant now) {
        // Asked before every call: the date is worked out again only when a day has passed.
        if (now.toEpochMilli() >= nextDayAt) {
            LocalDate today = ChinaCalendar.dateAt(now); // the provider's day
            day = today.toString();
            nextDayAt = ChinaCalendar.startOf(today.plusDays(1)).toEpochMilli();
            forgetDaysBefore(day);
            Long stored = store.get(day);
            spent = stored == null ? 0 : stored;
            counted.accept(day, spent);
        }
        return spent;
    }

    private void forgetDaysBefore(String today) {
        List<String> past = new ArrayList<>();
        try (var days = store.all()) {
            days.forEachRemaining(entry -> {
                if (!entry.key.equals(today)) {
                    past.add(entry.key);
                }
            });
        }
        past.forEach(store::delete);
    }
}
