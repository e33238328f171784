package com.facecheck.topology;

import com.facecheck.contract.AuditRecord;
import com.facecheck.contract.VerificationRequest;
import com.facecheck.contract.VerificationResult;
import com.facecheck.crypto.FieldCipher;
import com.facecheck.identity.Masking;
import com.facecheck.provider.Billing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net under every processor (KIP-1033) and every record that cannot be read, with dead letters of our
 * own (KIP-1034): whatever nobody foresaw costs the one record it happened on, never the stream thread. Without it a failing record kills the thread, the
 * replacement restores the task, calls the provider again for every request that was in flight, and meets the
 * same record again: a loop that bills and never commits.
 *
 * <p>Where the record goes depends on how far it had come:
 * <ul>
 *   <li>a request that reached its person's partition ends like any request, with a result and its audit record:
 *       its own result 7 if the check had already rejected it, else result 9 {@code internal-error}, and then it is
 *       also kept whole on the retryable dead letters so that a replay can still have it verified;</li>
 *   <li>a result, an audit record or a dead letter on its way out is written where it was going, and nothing else:
 *       serving a person forwards a result and its audit record as two records, so the one that did not fail is
 *       written by the topology and each exactly once;</li>
 *   <li>anything else (bytes that are not a request, a request failing its check, a name claim or answer, a record
 *       without a value) goes to the poison dead letters as it was read, sealed, with headers naming the processor, the
 *       exception and a masked message. A request whose name claim or answer was lost this way ends at the claim
 *       timeout.</li>
 * </ul>
 * A poison copy that Kafka would not take (the record was near {@code max.request.size} already, and the headers
 * tip it over) is written without its value: under exactly-once a refused write fails the whole transaction, and
 * the record would be read and refused again for ever.
 */
public final class FailedRecords implements ProcessingExceptionHandler, DeserializationExceptionHandler {

    /** The Streams property under which {@link Setup} reaches the handlers that Kafka Streams instantiates. */
    public static final String SETUP_CONFIG = "facecheck.failed-records.setup";

    public static final String METER = "facecheck.processing.failures";
    static final String INTERNAL_ERROR = "internal-error";
    static final String NOT_A_REQUEST = "not-a-request";
    static final String PROCESSING_FAILED = "processing-failed";
    /** Room left for the dead-letter headers, which are small: reasons are cut short, stack traces left out. */
    private static final int HEADER_ROOM = 16 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(FailedRecords.class);
    private static final int MESSAGE_CHARS = 200;
    private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    /** What sealing adds to a key or value: Tink's prefix, the nonce and the tag. */
    private static final int SEALING_BYTES = 5 + 12 + 16;

    /**
     * What the handlers need from the worker.
     *
     * @param workerVersion what the audit records of the results written here say decided
     */
    public record Setup(Topics topics, MeterRegistry meters, Clock clock, Results results, String workerVersion) {
        public Setup {
            Objects.requireNonNull(topics, "topics");
            Objects.requireNonNull(meters, "meters");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(results, "results");
            Objects.requireNonNull(workerVersion, "workerVersion");
        }
    }

    private Setup setup;
    private int largestValue;

    @Override
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(SETUP_CONFIG) instanceof Setup given)) {
            throw new IllegalStateException(SETUP_CONFIG + " must hold a " + Setup.class.getName()
                    + "; the worker sets it when it builds the Kafka Streams properties");
        }
        this.setup = given;
        Object limit = configs.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (limit == null) {
            limit = configs.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        int maxRequest = limit == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(limit.toString().strip());
        this.largestValue = Math.max(0, maxRequest - HEADER_ROOM);
    }

    /** Bytes that are not one of the records the topic carries: to the poison dead letters, as they came. */
    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        String processor = context.processorNodeId();
        count(processor, exception);
        String reason = exception.getMessage() == null ? exception.getClass().getSimpleName()
                : Masking.excerpt(exception.getMessage(), MESSAGE_CHARS);
        RequestLog.about(LOG.atWarn(), null, context.partition()).log("{} is not readable ({}); it goes to {}",
                where(context), reason, setup.topics().names().poisonDeadLetters());
        return DeserializationExceptionHandler.Response.resume(List.of(poison(context, NOT_A_REQUEST, reason,
                processor, exception, setup.clock().instant())));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        String processor = context.processorNodeId();
        count(processor, exception);
        Instant now = setup.clock().instant();
        Object value = record == null ? null : unwrapped(record.value());
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        String destination;
        String requestId = null;
        if (value instanceof CheckedRequest checked && checked.request() != null) {
            requestId = checked.requestId();
            destination = endRequest(checked, context, exception, now, out);
        } else if (value instanceof VerificationResult result) {
            requestId = result.requestId();
            out.add(result(result));
            destination = "its result is written as it was";
        } else if (value instanceof AuditRecord audit) {
            requestId = audit.requestId();
            out.add(audit(audit));
            destination = "its audit record is written as it was";
        } else if (value instanceof VerificationRequest failed && !FacecheckTopology.CHECK.equals(processor)) {
            requestId = failed.requestId();
            out.add(retryable(failed, record.headers()));
            destination = "its dead letter is written as it was";
        } else {
            out.add(poison(context, PROCESSING_FAILED, describe(exception, processor), processor, exception, now));
            destination = "the record goes to " + setup.topics().names().poisonDeadLetters();
        }
        RequestLog.about(LOG.atError(), requestId, context.partition()).setCause(Masking.withoutMessages(exception))
                .log("{} failed in processor {} ({}); {}", where(context), processor, describe(exception, processor),
                        destination);
        return ProcessingExceptionHandler.Response.resume(out);
    }

    /** What serving a person emits is written like the result, audit record or dead letter it wraps. */
    private static Object unwrapped(Object value) {
        if (value instanceof PersonOutput.Result wrapped) {
            return wrapped.result();
        }
        if (value instanceof PersonOutput.Audit wrapped) {
            return wrapped.record();
        }
        if (value instanceof PersonOutput.DeadLetter wrapped) {
            return wrapped.request();
        }
        return value;
    }

    /**
     * A request that reached its person's partition: one result with its audit record, and a dead letter when a
     * replay could help.
     */
    private String endRequest(CheckedRequest checked, ErrorHandlerContext context, Exception exception, Instant now,
                              List<ProducerRecord<byte[], byte[]>> out) {
        if (checked.rejection() != null) {
            newResult(checked.rejection(), checked, out);
            return "its result 7 (" + checked.rejection().reason() + ") is written";
        }
        String reason = describe(exception, context.processorNodeId());
        // Failed on its way to its turn: no call was made for it.
        newResult(setup.results().internalError(checked.request(), reason, Billing.UNBILLED,
                Instant.ofEpochMilli(checked.receivedAt()), now), checked, out);
        Headers headers = DeadLetters.headers(checked, 0, INTERNAL_ERROR, reason, now);
        DeadLetters.putFailure(headers, context.processorNodeId(), exception);
        ServeMeters.deadLetter(setup.meters(), ServeMeters.RETRYABLE, INTERNAL_ERROR).increment();
        out.add(retryable(checked.request(), headers));
        return "it gets result 9 (" + INTERNAL_ERROR + ") and goes to the retryable dead letters";
    }

    /** A result no step had written yet, with its audit record: counted like those that serving persons writes. */
    private void newResult(VerificationResult result, CheckedRequest checked,
                           List<ProducerRecord<byte[], byte[]>> out) {
        ServeMeters.result(setup.meters(), result).increment();
        out.add(result(result));
        out.add(audit(AuditRecord.of(result, setup.workerVersion(), checked.replayCount())));
    }

    private ProducerRecord<byte[], byte[]> result(VerificationResult result) {
        Topics topics = setup.topics();
        String topic = topics.names().resultTopic(result.outcomeEnum());
        return new ProducerRecord<>(topic, null, key(result.requestId()),
                topics.resultSerde().serializer().serialize(topic, result));
    }

    private ProducerRecord<byte[], byte[]> audit(AuditRecord audit) {
        var topic = setup.topics().audit();
        return new ProducerRecord<>(topic.name(), null, key(audit.requestId()),
                topic.valueSerde().serializer().serialize(topic.name(), audit));
    }

    private ProducerRecord<byte[], byte[]> retryable(VerificationRequest request, Headers headers) {
        var topic = setup.topics().retryable();
        return new ProducerRecord<>(topic.name(), null, key(request.requestId()),
                topic.valueSerde().serializer().serialize(topic.name(), request), headers);
    }

    private ProducerRecord<byte[], byte[]> poison(ErrorHandlerContext context, String reasonCode, String reason,
                                                  String processor, Exception exception, Instant now) {
        ServeMeters.deadLetter(setup.meters(), ServeMeters.POISON, reasonCode).increment();
        Headers headers = new RecordHeaders();
        DeadLetters.put(headers, DeadLetters.REASON, reason);
        DeadLetters.put(headers, DeadLetters.REASON_CODE, reasonCode);
        DeadLetters.putSource(headers, context.topic(), context.partition(), context.offset());
        DeadLetters.put(headers, DeadLetters.FAILED_AT, now.toString());
        DeadLetters.putFailure(headers, processor, exception);
        // A replayed record that fails again keeps its count, so that a replay's --max-replays can park it.
        DeadLetters.put(headers, DeadLetters.REPLAY_COUNT,
                Integer.toString(context.headers() == null ? 0 : DeadLetters.replayCount(context.headers())));
        byte[] key = context.sourceRawKey();
        byte[] value = context.sourceRawValue();
        int size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        int sealedSize = size + (key == null ? 0 : SEALING_BYTES) + (value == null ? 0 : SEALING_BYTES);
        String topic = setup.topics().names().poisonDeadLetters();
        if (sealedSize > largestValue) {
            DeadLetters.put(headers, DeadLetters.VALUE_LEFT_OUT, size + " bytes: over what the producer may send"
                    + " with the headers; read it at the source topic, partition and offset");
            return new ProducerRecord<>(topic, null, (byte[]) null, null, headers);
        }
        if (key == null && value == null) {
            return new ProducerRecord<>(topic, null, (byte[]) null, null, headers);
        }
        // What could not be read may hold anything a producer sent, a name or an ID number too: it rests sealed.
        FieldCipher cipher = setup.topics().cipher();
        byte[] sealedKey = key == null ? null : cipher.seal(key, DeadLetters.poisonContext(headers, "key"));
        byte[] sealedValue = value == null ? null : cipher.seal(value, DeadLetters.poisonContext(headers, "value"));
        DeadLetters.put(headers, DeadLetters.SEALED_KEY_ID,
                Integer.toUnsignedString(FieldCipher.keyId(sealedValue == null ? sealedKey : sealedValue)));
        return new ProducerRecord<>(topic, null, sealedKey, sealedValue, headers);
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
