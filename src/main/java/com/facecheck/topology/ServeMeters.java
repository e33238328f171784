package com.facecheck.topology;

import com.facecheck.contract.VerificationResult;
import com.facecheck.provider.ProviderAnswer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What serving persons counts. Counters are looked up once, not on every answer. */
public final class ServeMeters {

    /** Provider answers, tagged {@code kind} (the answer's type) and {@code billing}. */
    public static final String ANSWERS = "facecheck.provider.answers";
    /** Results written, tagged {@code outcome} and {@code decided.by}. */
    static final String RESULTS = "facecheck.results";
    /** Dead letters written, tagged {@code dlq} ({@code retryable} or {@code poison}) and {@code reason}. */
    static final String DEAD_LETTERS = "facecheck.dead.letters";
    static final String RETRYABLE = "retryable";
    static final String POISON = "poison";
    /** From a call's start to its answer, tagged {@code kind}. */
    static final String LATENCY = "facecheck.provider.latency";
    /** From the provider's usual answers (a few hundred ms) to the call timeout (10 s by default) and beyond. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofMillis(750),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final MeterRegistry meters;
    final Counter idCapRefusals;
    final Counter resumedCalls;
    final Counter quarantined;
    final Counter duplicates;
    final Counter retries;
    private final Map<String, Counter> answers = new HashMap<>();
    private final Map<String, Timer> latencies = new HashMap<>();
    private final Map<String, Counter> results = new HashMap<>();
    private final Map<String, Counter> deadLetters = new HashMap<>();

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
        this.retries = Counter.builder("facecheck.provider.retries")
                .description("calls tried again after a failure that may pass (the answers say which)")
                .register(meters);
    }

    void answered(ProviderAnswer answer, long tookNanos) {
        String kind = answer.getClass().getSimpleName();
        String billing = answer.billing().label();
        answers.computeIfAbsent(kind + billing, k -> Counter.builder(ANSWERS).tag("kind", kind).tag("billing", billing)
                .description("provider calls answered, by the kind of answer and its billing").register(meters))
                .increment();
        latencies.computeIfAbsent(kind, k -> Timer.builder(LATENCY).tag("kind", kind)
                .description("from the start of a provider call to its answer").serviceLevelObjectives(LATENCY_BUCKETS)
                .register(meters)).record(tookNanos, TimeUnit.NANOSECONDS);
    }

    void resulted(VerificationResult result) {
        results.computeIfAbsent(result.outcome() + result.decidedBy(), k -> result(meters, result)).increment();
    }

    void deadLettered(String reasonCode) {
        deadLetters.computeIfAbsent(reasonCode, k -> deadLetter(meters, RETRYABLE, reasonCode)).increment();
    }

    /** The counter of results like this one. */
    static Counter result(MeterRegistry meters, VerificationResult result) {
        return Counter.builder(RESULTS).tag("outcome", result.outcome()).tag("decided.by", result.decidedBy())
                .description("results written, by outcome and by whether the provider or the worker decided")
                .register(meters);
    }

    /** @param dlq {@value #RETRYABLE} or {@value #POISON} */
    static Counter deadLetter(MeterRegistry meters, String dlq, String reasonCode) {
        return Counter.builder(DEAD_LETTERS).tag("dlq", dlq).tag("reason", reasonCode)
                .description("records written to a dead-letter topic, by its reason code").register(meters);
    }
}
