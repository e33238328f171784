package com.facecheck.topology;

import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.identity.Masking;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net under every processor (KIP-1033) and every write (KIP-1034): whatever nobody foresaw costs the
 * one record it happened on, never the stream thread. Without it a failing record kills the thread, the
 * replacement restores the task, calls the provider again for every request that was in flight, and meets the
 * same record again: a loop that bills and never commits.
 *
 * <p>Where the record goes depends on how far it had come:
 * <ul>
 *   <li>a request that reached its person's partition ends like any request, with a result: its own result 7 if
 *       the check had already rejected it, else result 9 {@code internal-error}, and then it is also kept whole on
 *       the retryable dead letters so that a replay can still have it verified;</li>
 *   <li>a result or a dead letter on its way out is written where it was going;</li>
 *   <li>anything else (a request failing its check, a name claim or answer, a record without a value) goes to the
 *       poison dead letters as it was read, with headers naming the processor, the exception and a masked
 *       message. A request whose name claim or answer was lost this way ends at the claim timeout.</li>
 * </ul>
 */
public final class FailedRecords implements ProcessingExceptionHandler, ProductionExceptionHandler {

    /** The Streams property under which {@link Setup} reaches the handlers that Kafka Streams instantiates. */
    public static final String SETUP_CONFIG = "facecheck.failed-records.setup";

    public static final String METER = "facecheck.processing.failures";
    static final String INTERNAL_ERROR = "internal-error";
    static final String PROCESSING_FAILED = "processing-failed";
    static final String RECORD_TOO_LARGE = "record-too-large";
    static final String SERIALIZATION_FAILED = "serialization-failed";

    private static final Logger LOG = LoggerFactory.getLogger(FailedRecords.class);
    private static final int MESSAGE_CHARS = 200;

    /** What the handlers need from the worker. */
    public record Setup(Topics topics, MeterRegistry meters, Clock clock) {
        public Setup {
            Objects.requireNonNull(topics, "topics");
            Objects.requireNonNull(meters, "meters");
            Objects.requireNonNull(clock, "clock");
        }
    }

    private Setup setup;

    @Override
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(SETUP_CONFIG) instanceof Setup given)) {
            throw new IllegalStateException(SETUP_CONFIG + " must hold a " + Setup.class.getName()
                    + "; the worker sets it when it builds the Kafka Streams properties");
        }
        this.setup = given;
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        String processor = context.processorNodeId();
        count(processor, exception);
        Instant now = setup.clock().instant();
        Object value = record == null ? null : record.value();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        String destination;
        if (value instanceof CheckedRequest checked && checked.request() != null) {
            destination = endRequest(checked, context, exception, now, out);
        } else if (value instanceof VerificationResult result) {
            out.add(result(result));
            destination = "its result is written as it was";
        } else if (value instanceof VerificationRequest failed && !FacecheckTopology.CHECK.equals(processor)) {
            out.add(retryable(failed, record.headers()));
            destination = "its dead letter is written as it was";
        } else {
            out.add(poison(context, PROCESSING_FAILED, describe(exception, processor), processor, exception, now));
            destination = "the record goes to " + setup.topics().names().poisonDeadLetters();
        }
        LOG.error("{} failed in processor {} ({}); {}", where(context), processor, describe(exception, processor),
                destination, Masking.withoutMessages(exception));
        return ProcessingExceptionHandler.Response.resume(out);
    }

    /**
     * A record Kafka cannot take (over {@code max.request.size}) or that cannot be serialised leaves a marker on the
     * poison dead letters in its place, naming where its input was read; other write errors stay fatal, as Kafka
     * Streams makes them by default.
     */
    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                           ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof RecordTooLargeException)) {
            return ProductionExceptionHandler.Response.fail();
        }
        return lostWrite(context, record.topic(), RECORD_TOO_LARGE, exception);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context,
                                                                        ProducerRecord record, Exception exception,
                                                                        SerializationExceptionOrigin origin) {
        return lostWrite(context, record.topic(), SERIALIZATION_FAILED, exception);
    }

    private ProductionExceptionHandler.Response lostWrite(ErrorHandlerContext context, String topic, String reasonCode,
                                                          Exception exception) {
        String processor = context.processorNodeId();
        count(processor, exception);
        String reason = "a record for " + topic + " could not be written (" + describe(exception, processor) + ")";
        LOG.error("{}, for {}; a marker goes to {} instead", reason, where(context),
                setup.topics().names().poisonDeadLetters());
        ProducerRecord<byte[], byte[]> marker = poison(context, reasonCode, reason, processor, exception,
                setup.clock().instant());
        return ProductionExceptionHandler.Response.resume(List.of(new ProducerRecord<>(marker.topic(), null,
                marker.key(), null, marker.headers())));
    }

    /** A request that reached its person's partition: one result, and a dead letter when a replay could help. */
    private String endRequest(CheckedRequest checked, ErrorHandlerContext context, Exception exception, Instant now,
                              List<ProducerRecord<byte[], byte[]>> out) {
        if (checked.rejection() != null) {
            out.add(result(checked.rejection()));
            return "its result 7 (" + checked.rejection().reason() + ") is written";
        }
        String reason = describe(exception, context.processorNodeId());
        out.add(result(Results.internalError(checked.request(), reason, Instant.ofEpochMilli(checked.receivedAt()),
                now)));
        Headers headers = DeadLetters.headers(checked, 0, INTERNAL_ERROR, reason, now);
        DeadLetters.putFailure(headers, context.processorNodeId(), exception);
        out.add(retryable(checked.request(), headers));
        return "it gets result 9 (" + INTERNAL_ERROR + ") and goes to the retryable dead letters";
    }

    private ProducerRecord<byte[], byte[]> result(VerificationResult result) {
        Topics topics = setup.topics();
        String topic = topics.names().resultTopic(result.outcomeEnum());
        return new ProducerRecord<>(topic, null, key(result.requestId()),
                topics.resultSerde().serializer().serialize(topic, result));
    }

    private ProducerRecord<byte[], byte[]> retryable(VerificationRequest request, Headers headers) {
        var topic = setup.topics().retryable();
        return new ProducerRecord<>(topic.name(), null, key(request.requestId()),
                topic.valueSerde().serializer().serialize(topic.name(), request), headers);
    }

    private ProducerRecord<byte[], byte[]> poison(ErrorHandlerContext context, String reasonCode, String reason,
                                                  String processor, Exception exception, Instant now) {
        Headers headers = new RecordHeaders();
        DeadLetters.put(headers, DeadLetters.REASON, reason);
        DeadLetters.put(headers, DeadLetters.REASON_CODE, reasonCode);
        DeadLetters.putSource(headers, context.topic(), context.partition(), context.offset());
        DeadLetters.put(headers, DeadLetters.FAILED_AT, now.toString());
        DeadLetters.putFailure(headers, processor, exception);
        return new ProducerRecord<>(setup.topics().names().poisonDeadLetters(), null, context.sourceRawKey(),
                context.sourceRawValue(), headers);
    }

    /** Records made by a punctuation (answers written between input records) have no input record. */
    private static String where(ErrorHandlerContext context) {
        return context.topic() == null ? "a record made between input records"
                : "a record of " + context.topic() + "-" + context.partition() + " at offset " + context.offset();
    }

    private void count(String processor, Exception exception) {
        Counter.builder(METER).tag("processor", processor == null ? "none" : processor)
                .tag("exception", exception.getClass().getSimpleName())
                .description("records that failed in a processor or could not be written, and went on without it")
                .register(setup.meters()).increment();
    }

    /** Exception messages may quote the data they choked on: masked, and cut short. */
    static String describe(Exception exception, String processor) {
        String message = exception.getMessage();
        return exception.getClass().getSimpleName() + " in " + processor
                + (message == null ? "" : ": " + Masking.excerpt(message, MESSAGE_CHARS));
    }

    private static byte[] key(String requestId) {
        return requestId.getBytes(StandardCharsets.UTF_8);
    }
}
