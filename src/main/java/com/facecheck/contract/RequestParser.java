package com.facecheck.contract;

import com.facecheck.identity.KeyedHasher;
import com.facecheck.identity.PhotoUrls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;

/**
 * Turns the bytes of an input record into a {@link VerificationRequest}, or says precisely why they are not
 * one. Only structural problems are errors here (not JSON, not an object, a field of the wrong type):
 * such a record is poison and goes to the poison dead-letter topic. A well-formed request with missing or
 * bad values is still a request and gets a result.
 */
public final class RequestParser {

    /** The record is not a request at all. The message names the problem but never quotes the input. */
    public static final class NotARequestException extends RuntimeException {
        public NotARequestException(String message) {
            super(message, null, false, false);
        }
    }

    /** Prefix of request ids made from the content when the producer sent none. */
    public static final String DERIVED_ID_PREFIX = "derived-";

    /**
     * Longest {@code requestId}, {@code consentId} and {@code source}, and largest {@code metadata} (as JSON): they
     * travel into results, dead letters and state, several times over, and every record the worker writes must stay
     * far inside what Kafka takes. Under exactly-once, one write Kafka refuses fails the whole transaction, again
     * and again.
     */
    public static final int MAX_ID_CHARS = 200;
    public static final int MAX_METADATA_BYTES = 16 * 1024;

    /**
     * One JSON object and nothing after it, each field once. Read leniently, two requests in one record would be one
     * request and a loss, and a field given twice would be what this reader takes (the last) while a gateway or
     * schema check before it may have judged the first.
     */
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private final KeyedHasher hasher;

    public RequestParser(KeyedHasher hasher) {
        this.hasher = hasher;
    }

    public VerificationRequest parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new NotARequestException("the record has no value; a request is a JSON object");
        }
        String notUtf8 = JsonLines.utf8Problem(bytes);
        if (notUtf8 != null) {
            throw new NotARequestException("the value is not UTF-8 text: " + notUtf8);
        }
        JsonNode root;
        try {
            root = READER.readTree(bytes);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            // Jackson's own message would quote the field's name, which is input too.
            String what = e instanceof MismatchedInputException ? "the value holds more than one JSON value"
                    : e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? "the value gives a field twice in one object" : "the value is not valid JSON";
            throw new NotARequestException(what
                    + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new NotARequestException("the value could not be read as JSON");
        }
        if (root == null || !root.isObject()) {
            throw new NotARequestException("the value is JSON but not an object (found "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(Locale.ROOT))
                    + "); a request is a JSON object");
        }
        ObjectNode object = (ObjectNode) root;
        String name = text(object, "name", "xm");
        String idNumber = text(object, "idNumber", "sfz");
        String image = text(object, "image", null);
        String imageUrl = text(object, "imageUrl", null);
        // The provider's own 'img' takes either base64 or a URL.
        String img = text(object, "img", null);
        if (img != null) {
            if (PhotoUrls.isUrl(img)) {
                imageUrl = imageUrl == null ? img : imageUrl;
            } else {
                image = image == null ? img : image;
            }
        }
        String consentId = text(object, "consentId", null);
        String source = text(object, "source", null);
        JsonNode metadata = object.get("metadata");
        if (metadata != null && metadata.isNull()) {
            metadata = null;
        }
        requireShort("consentId", consentId);
        requireShort("source", source);
        if (metadata != null) {
            int size = metadataBytes(metadata);
            if (size > MAX_METADATA_BYTES) {
                throw new NotARequestException("field 'metadata' is " + size + " bytes of JSON; at most "
                        + MAX_METADATA_BYTES + " pass through to the result. Keep bulky data out of the request");
            }
        }
        String requestId = text(object, "requestId", null);
        if (requestId == null || requestId.isBlank()) {
            requestId = DERIVED_ID_PREFIX + hasher.hex(name, idNumber, image, imageUrl, consentId, source).substring(0, 32);
        } else {
            requestId = requestId.strip();
            requireShort("requestId", requestId);
        }
        return new VerificationRequest(requestId, name, idNumber, image, imageUrl, consentId, source, metadata);
    }

    private static void requireShort(String field, String value) {
        if (value != null && value.length() > MAX_ID_CHARS) {
            throw new NotARequestException("field '" + field + "' has " + value.length() + " characters; at most "
                    + MAX_ID_CHARS + " are accepted");
        }
    }

    private static int metadataBytes(JsonNode metadata) {
        try {
            return Json.MAPPER.writeValueAsBytes(metadata).length;
        } catch (JsonProcessingException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** The field's string value under its own name or its provider alias; null when absent or JSON null. */
    private static String text(ObjectNode object, String field, String alias) {
        JsonNode node = object.get(field);
        String used = field;
        if ((node == null || node.isNull()) && alias != null) {
            node = object.get(alias);
            used = alias;
        }
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new NotARequestException("field '" + used + "' must be a string, found "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node.textValue();
    }
}
