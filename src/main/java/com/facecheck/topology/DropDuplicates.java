package com.facecheck.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a request whose request id was already seen within the deduplication window: no second call, no second
 * result. A replay from the dead letters carries a higher replay count and is not a duplicate.
 *
 * <p>Seen when it is served here, by the worker's clock, never at the record's own timestamp: a producer whose
 * clock lags would otherwise write below the store's retention, where the entry is dropped and its duplicate
 * called and billed again.
 *
 * <p>It runs on the person's partition: a re-sent request carries the same ID number, so it lands here too.
 */
final class DropDuplicates implements Processor<String, CheckedRequest, String, CheckedRequest> {

    static final String STORE = "facecheck-seen-requests";
    static final String METER = "facecheck.requests.duplicates";

    private static final Logger LOG = LoggerFactory.getLogger(DropDuplicates.class);

    private final long window;
    private final Clock clock;
    private final Counter duplicates;
    private ProcessorContext<String, CheckedRequest> context;
    private WindowStore<String, Integer> seen;

    DropDuplicates(Duration window, MeterRegistry meters, Clock clock) {
        this.window = window.toMillis();
        this.clock = clock;
        this.duplicates = Counter.builder(METER)
                .description("requests dropped because their request id was seen within the deduplication window")
                .register(meters);
    }

    static StoreBuilder<WindowStore<String, Integer>> storeBuilder(Duration window) {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(STORE, window.multipliedBy(2), window, false),
                Serdes.String(), Serdes.Integer());
    }

    @Override
    public void init(ProcessorContext<String, CheckedRequest> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, CheckedRequest> record) {
        CheckedRequest checked = InternalRecords.required(record, "checked request");
        String requestId = checked.requestId();
        long now = clock.millis();
        int highestReplay = -1;
        try (var earlier = seen.fetch(requestId, now - window + 1, now)) {
            while (earlier.hasNext()) {
                highestReplay = Math.max(highestReplay, earlier.next().value);
            }
        }
        if (highestReplay >= checked.replayCount()) {
            duplicates.increment();
            RequestLog.about(LOG.atInfo(), requestId, context.taskId().partition()).log(
                    "request {} was seen within the last {} h and is dropped as a duplicate", requestId,
                    window / 3_600_000.0);
            return;
        }
        seen.put(requestId, checked.replayCount(), now);
        context.forward(record);
    }
}
