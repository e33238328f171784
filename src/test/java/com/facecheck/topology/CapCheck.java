package com.facecheck.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The topology's 24-hour cap decision ({@link CapLedger}, which is the topology's own) for the benchmarks in other
 * packages, over the store the topology gives it: RocksDB, here without the changelog.
 */
public final class CapCheck implements AutoCloseable {

    private final WindowStore<String, String> store;
    private final CapLedger ledger;

    /** A ledger of at most {@code cap} places per key in any {@code window}, its store under {@code stateDir}. */
    public CapCheck(Path stateDir, Duration window, int cap) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "cap-check");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        store = CapLedger.storeBuilder("cap-check", window).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile()).getStateStoreContext(),
                store);
        ledger = new CapLedger(store, window, cap);
    }

    /** As the topology asks before a call: whether the request gets a place, which it then holds. */
    public boolean reserve(String key, String requestId, long now) {
        return ledger.reserve(key, requestId, now);
    }

    @Override
    public void close() {
        store.close();
    }
}
