package com.facecheck.app;

import com.facecheck.provider.Billing;
import com.facecheck.provider.CallPermits;
import com.facecheck.topology.ServeMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.logging.Log4j2Metrics;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's meters beyond what its steps count themselves: Kafka Streams with its consumers and producers, the
 * JVM, the log, the provider spend and the calls in flight. Closed with the worker: several binders keep listeners
 * or a refresh thread that would otherwise report into a worker that is gone.
 */
final class WorkerMeters implements AutoCloseable {

    /** What one billed call costs unless the configuration says otherwise: the smallest package's price, in CNY. */
    static final BigDecimal DEFAULT_PRICE_PER_CALL = new BigDecimal("0.20");
    static final String SPEND = "facecheck.provider.spend";
    static final String IN_FLIGHT = "facecheck.calls.in.flight";

    private static final Logger LOG = LoggerFactory.getLogger(WorkerMeters.class);

    private final MeterRegistry meters;
    private final List<AutoCloseable> bound = new ArrayList<>();

    /**
     * @param pricePerCall what one billed call costs, in CNY, for the spend estimate
     * @param stateDir     where the stores live: they grow with every request waiting out a provider outage
     */
    WorkerMeters(MeterRegistry meters, BigDecimal pricePerCall, CallPermits.InFlight inFlight, Path stateDir) {
        if (pricePerCall.signum() < 0) {
            throw new IllegalArgumentException("the price per call cannot be negative: give what one billed call"
                    + " costs, in CNY");
        }
        this.meters = meters;
        bind(new JvmMemoryMetrics());
        bind(new JvmGcMetrics());
        bind(new JvmThreadMetrics());
        bind(new ClassLoaderMetrics());
        bind(new ProcessorMetrics());
        bind(new UptimeMetrics());
        bind(new FileDescriptorMetrics());
        bind(new DiskSpaceMetrics(stateDir.toFile()));
        bind(new Log4j2Metrics());
        double price = pricePerCall.doubleValue();
        for (Billing billing : List.of(Billing.BILLED, Billing.UNKNOWN)) {
            FunctionCounter.builder(SPEND, meters, registry -> price * answers(registry, billing))
                    .tag("billing", billing.label()).baseUnit("cny")
                    .description("estimated spend on provider calls: billing=billed is what the billed calls cost,"
                            + " billing=unknown what calls that may have been billed add at most")
                    .register(meters);
        }
        Gauge.builder(IN_FLIGHT, inFlight, CallPermits.InFlight::current)
                .description("provider calls started and not yet answered, for the whole worker").register(meters);
    }

    /** Kafka Streams and its clients, bound once it runs: then its consumers and producers exist to be measured. */
    void bindStreams(KafkaStreams streams) {
        bind(new KafkaStreamsMetrics(streams));
    }

    private void bind(MeterBinder binder) {
        binder.bindTo(meters);
        if (binder instanceof AutoCloseable closeable) {
            bound.add(closeable);
        }
    }

    private static double answers(MeterRegistry registry, Billing billing) {
        return registry.find(ServeMeters.ANSWERS).tag("billing", billing.label()).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    @Override
    public void close() {
        for (AutoCloseable binder : bound) {
            try {
                binder.close();
            } catch (Exception e) {
                LOG.warn("a meter binder ({}) did not close: {}", binder.getClass().getSimpleName(),
                        e.getClass().getSimpleName());
            }
        }
        bound.clear();
    }
}
