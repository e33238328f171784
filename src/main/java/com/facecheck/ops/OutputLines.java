package com.facecheck.ops;

import com.facecheck.contract.Json;
import com.facecheck.contract.PersonFields;
import com.facecheck.crypto.SealedRequest;
import com.facecheck.identity.Masking;
import com.facecheck.topology.DeadLetters;
import com.facecheck.topology.TopicNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Records of the result, audit and dead-letter topics as JSON a person may read, one object a record with its topic,
 * partition, offset and key: a result as the worker wrote it (it shows the person only as configured), an audit
 * record as written (it shows the person by personId only), a dead letter by what it shows without the keyset: of a
 * retryable one the readable part and the masked fields, of a poison one (sealed whole) its size.
 */
public final class OutputLines {

    /** The worker's own dead-letter headers (see {@code topology.DeadLetters}); they are masked when written. */
    private static final String OWN_HEADERS = "facecheck.dlq.";
    private static final int EXCERPT_CHARS = 200;

    private OutputLines() {
    }

    /**
     * The record as one JSON object; {@code fields} chooses what a dead letter shows of the person. A dead letter in
     * the poison form is shown as one wherever it is (a parked one too).
     */
    public static ObjectNode line(ConsumerRecord<?, byte[]> r, TopicNames names, PersonFields fields) {
        // Results and audit records are the worker's own JSON, with nothing of the person to hide.
        boolean result = names.results().containsValue(r.topic()) || r.topic().equals(names.audit());
        boolean poison = !result
                && (r.topic().equals(names.poisonDeadLetters()) || DeadLetters.sealedWhole(r.headers()));
        // A poison record keeps the producer's own key, which may be anything, an ID number too: it is sealed.
        ObjectNode line = Json.MAPPER.createObjectNode()
                .put("topic", r.topic()).put("partition", r.partition()).put("offset", r.offset())
                .put("key", poison ? (r.key() == null ? null : "sealed") : text(r.key()));
        if (result) {
            line.set("value", readable(r, () -> Json.MAPPER.readTree(r.value())));
            return line;
        }
        line.set("value", poison ? size(r).put("request", false).put("sealed", r.value() != null)
                : readable(r, () -> deadLetter(r, fields)));
        ObjectNode headers = line.putObject("headers");
        r.headers().forEach(h -> {
            String value = h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
            // Headers a producer added travel with the record into the dead letters; no one checked what they hold.
            headers.put(h.key(), h.key().startsWith(OWN_HEADERS) ? value : Masking.excerpt(value, EXCERPT_CHARS));
        });
        return line;
    }

    /** A key as text: the worker's keys are request ids, which readers may get as bytes. */
    static String text(Object key) {
        return key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : (String) key;
    }

    /** A retryable dead letter holds the whole request, sealed: shown masked as a result shows the person. */
    private static JsonNode deadLetter(ConsumerRecord<?, byte[]> r, PersonFields fields) throws IOException {
        SealedRequest request = Json.MAPPER.readValue(r.value(), SealedRequest.class);
        SealedRequest.Masked masked = request.masked() == null
                ? new SealedRequest.Masked(null, null, null, null) : request.masked();
        ObjectNode value = Json.MAPPER.createObjectNode().put("requestId", request.requestId())
                .put("name", fields.includes(PersonFields.Field.MASKED_NAME) ? masked.name() : null)
                .put("idNumber", fields.includes(PersonFields.Field.MASKED_ID_NUMBER) ? masked.idNumber() : null);
        if (masked.imageChars() != null) {
            value.put("imageChars", masked.imageChars());
        }
        value.put("imageUrl", masked.imageUrl()).put("consentId", request.consentId()).put("source", request.source());
        if (request.sealed() != null) {
            value.put("sealedUnderKey", request.sealed().keyId());
        }
        return value;
    }

    @FunctionalInterface
    private interface Reading {
        JsonNode read() throws IOException;
    }

    /** A record the worker did not write (the topics are open to other producers) is shown by its size only. */
    private static JsonNode readable(ConsumerRecord<?, byte[]> r, Reading reading) {
        if (r.value() == null) {
            return size(r);
        }
        try {
            return reading.read();
        } catch (IOException e) {
            return size(r).put("readable", false);
        }
    }

    private static ObjectNode size(ConsumerRecord<?, byte[]> r) {
        return Json.MAPPER.createObjectNode().put("bytes", r.value() == null ? 0 : r.value().length);
    }
}
