package com.facecheck.topology;

import com.facecheck.provider.ProviderAnswer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/** What serving persons counts. Counters are looked up once, not on every answer. */
public final class ServeMeters {

    /** Provider answers, tagged {@code kind} (the answer's type) and {@code billing}. */
    public static final String ANSWERS = "facecheck.provider.answers";

    private final MeterRegistry meters;
    final Counter idCapRefusals;
    final Counter resumedCalls;
    final Counter quarantined;
    final Counter duplicates;
    private final Map<String, Counter> answers = new HashMap<>();

    ServeMeters(MeterRegistry meters) {
        this.meters = meters;
        this.idCapRefusals = Counter.builder("facecheck.caps.refused").tag("cap", "per-id")
                .description("requests refused without a call because a cap was reached").register(meters);
        this.resumedCalls = Counter.builder("facecheck.calls.resumed")
                .description("calls started for requests admitted before the task was restored: each may repeat a"
                        + " call the previous owner made").register(meters);
        this.quarantined = Counter.builder(FailedRecords.METER).tag("processor", FacecheckTopology.SERVE)
                .tag("exception", "request-quarantined")
                .description("records that failed in a processor or could not be written, and went on without it")
                .register(meters);
        this.duplicates = meters.counter(DropDuplicates.METER);
    }

    void answered(ProviderAnswer answer) {
        String kind = answer.getClass().getSimpleName();
        String billing = answer.billing().label();
        answers.computeIfAbsent(kind + billing, k -> meters.counter(ANSWERS, "kind", kind,
                "billing", billing)).increment();
    }
}
