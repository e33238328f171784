package com.facecheck.testing;

import com.facecheck.contract.AuditRecord;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.topology.CheckedRequest;
import com.facecheck.topology.NameAnswer;
import com.facecheck.topology.NameClaim;
import com.facecheck.topology.PersonOutput;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorWrapper;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;

/**
 * A test-only hook through Kafka Streams' own processor wrapper (KIP-1112, {@code processor.wrapper.class}): makes
 * chosen processors throw on chosen records, so tests see what a failure nobody foresaw does. Nothing in the
 * product knows of it. {@value #FAIL_ON} lists {@code processor:requestId:RecordType} triples, comma-separated.
 */
public final class FailingProcessors implements ProcessorWrapper {

    public static final String FAIL_ON = "facecheck.test.fail-on";

    /** Thrown where a test asked; its message looks like a library's, quoting an ID number it must not show. */
    public static final class InjectedFailure extends IllegalStateException {
        public InjectedFailure(String processor) {
            super("injected in " + processor + " while reading 11010519491231002X");
        }
    }

    private final Set<String> targets = new HashSet<>();

    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(FAIL_ON);
        if (value != null) {
            for (String target : value.toString().split(",")) {
                targets.add(target.strip());
            }
        }
    }

    public static String target(String processor, String requestId, Class<?> recordType) {
        return processor + ":" + requestId + ":" + recordType.getSimpleName();
    }

    @Override
    public <KIn, VIn, KOut, VOut> WrappedProcessorSupplier<KIn, VIn, KOut, VOut> wrapProcessorSupplier(
            String processorName, ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
        return ProcessorWrapper.asWrapped(new ProcessorSupplier<>() {
            @Override
            public Processor<KIn, VIn, KOut, VOut> get() {
                Processor<KIn, VIn, KOut, VOut> inner = supplier.get();
                return new Processor<>() {
                    @Override
                    public void init(ProcessorContext<KOut, VOut> context) {
                        inner.init(context);
                    }

                    @Override
                    public void process(Record<KIn, VIn> record) {
                        failIfChosen(processorName, record.value());
                        inner.process(record);
                    }

                    @Override
                    public void close() {
                        inner.close();
                    }
                };
            }

            @Override
            public Set<org.apache.kafka.streams.state.StoreBuilder<?>> stores() {
                return supplier.stores();
            }
        });
    }

    @Override
    public <KIn, VIn, VOut> WrappedFixedKeyProcessorSupplier<KIn, VIn, VOut> wrapFixedKeyProcessorSupplier(
            String processorName, FixedKeyProcessorSupplier<KIn, VIn, VOut> supplier) {
        return ProcessorWrapper.asWrappedFixedKey(new FixedKeyProcessorSupplier<>() {
            @Override
            public FixedKeyProcessor<KIn, VIn, VOut> get() {
                FixedKeyProcessor<KIn, VIn, VOut> inner = supplier.get();
                return new FixedKeyProcessor<>() {
                    @Override
                    public void init(FixedKeyProcessorContext<KIn, VOut> context) {
                        inner.init(context);
                    }

                    @Override
                    public void process(FixedKeyRecord<KIn, VIn> record) {
                        failIfChosen(processorName, record.value());
                        inner.process(record);
                    }

                    @Override
                    public void close() {
                        inner.close();
                    }
                };
            }

            @Override
            public Set<org.apache.kafka.streams.state.StoreBuilder<?>> stores() {
                return supplier.stores();
            }
        });
    }

    private void failIfChosen(String processor, Object value) {
        String requestId = requestId(value);
        if (requestId != null && targets.contains(target(processor, requestId, value.getClass()))) {
            throw new InjectedFailure(processor);
        }
    }

    private static String requestId(Object value) {
        if (value instanceof VerificationRequest request) {
            return request.requestId();
        }
        if (value instanceof CheckedRequest checked) {
            return checked.request().requestId();
        }
        if (value instanceof NameClaim claim) {
            return claim.requestId();
        }
        if (value instanceof NameAnswer answer) {
            return answer.requestId();
        }
        if (value instanceof PersonOutput.Result result) {
            return result.result().requestId();
        }
        if (value instanceof VerificationResult result) {
            return result.requestId();
        }
        if (value instanceof PersonOutput.Audit audit) {
            return audit.record().requestId();
        }
        if (value instanceof AuditRecord audit) {
            return audit.requestId();
        }
        return null;
    }
}
