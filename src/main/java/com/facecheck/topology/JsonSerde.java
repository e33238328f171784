package com.facecheck.topology;

import com.facecheck.contract.Json;
import com.facecheck.crypto.FieldCipher;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON for the product's own records (results, pending calls, dead letters): with the shared mapper, or with one
 * that seals the requests inside them.
 */
public final class JsonSerde<T> implements Serde<T> {

    private final Class<T> type;
    private final ObjectMapper mapper;

    public JsonSerde(Class<T> type) {
        this(type, Json.MAPPER);
    }

    public JsonSerde(Class<T> type, ObjectMapper mapper) {
        this.type = type;
        this.mapper = mapper;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                return mapper.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new SerializationException("cannot write a " + type.getSimpleName() + " as JSON", e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return mapper.readValue(bytes, type);
            } catch (IOException e) {
                // No cause attached: Jackson's message may quote the bytes, which can hold personal data. Only an
                // envelope's own message is kept: it names the key that is missing and nothing of the content.
                throw new SerializationException("the bytes on " + topic + " are not a readable "
                        + type.getSimpleName() + unopened(e));
            }
        };
    }

    private static String unopened(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof FieldCipher.UnopenedEnvelope envelope) {
                return ": " + envelope.getMessage();
            }
        }
        return "";
    }
}
