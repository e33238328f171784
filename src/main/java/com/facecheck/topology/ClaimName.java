package com.facecheck.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The per-name cap, on the partition of the name: every reservation of one name, from whichever person's
 * partition, is counted here, so the cap holds exactly across partitions and instances, at the time the claim is
 * served here (wall clock). Answers go back to the person's partition.
 */
final class ClaimName implements Processor<String, NameClaim, String, NameAnswer> {

    static final String STORE = "facecheck-name-reservations";

    private final Admission admission;
    private final Clock clock;
    private final Counter refusals;
    private ProcessorContext<String, NameAnswer> context;
    private CapLedger ledger;

    ClaimName(Admission admission, MeterRegistry meters, Clock clock) {
        this.admission = admission;
        this.clock = clock;
        this.refusals = Counter.builder("facecheck.caps.refused").tag("cap", "per-name")
                .description("requests refused without a call because a cap was reached").register(meters);
    }

    @Override
    public void init(ProcessorContext<String, NameAnswer> context) {
        this.context = context;
        WindowStore<String, String> store = context.getStateStore(STORE);
        this.ledger = new CapLedger(store, admission.capWindow(), admission.perName());
    }

    @Override
    public void process(Record<String, NameClaim> record) {
        NameClaim claim = InternalRecords.required(record, "name claim");
        if (claim.kind() == NameClaim.Kind.RELEASE) {
            ledger.release(claim.nameKey(), claim.requestId(), clock.millis());
            return;
        }
        boolean granted = ledger.reserve(claim.nameKey(), claim.requestId(), clock.millis());
        if (!granted) {
            refusals.increment();
        }
        context.forward(record.withKey(claim.personKey())
                .withValue(new NameAnswer(claim.requestId(), claim.nameKey(), granted)));
    }
}
