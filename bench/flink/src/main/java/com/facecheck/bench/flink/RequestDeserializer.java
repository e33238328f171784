package com.facecheck.bench.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads a request record; anything unreadable becomes an invalid request rather than a failed job. */
final class RequestDeserializer implements KafkaRecordDeserializationSchema<Request> {
    private static final long serialVersionUID = 1L;

    private transient ObjectMapper json;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Request> out) {
        if (json == null) {
            json = new ObjectMapper();
        }
        Request request = new Request();
        request.receivedAt = record.timestamp();
        JsonNode node = null;
        try {
            if (record.value() != null) {
                node = json.readTree(record.value());
            }
        } catch (Exception e) {
            node = null;
        }
        String requestId = node != null && node.isObject() ? text(node, "requestId") : null;
        request.requestId = requestId != null ? requestId
                : record.topic() + "-" + record.partition() + "-" + record.offset();
        if (requestId == null) {
            request.invalid = true;
        } else {
            request.name = text(node, "name");
            request.idNumber = text(node, "idNumber");
            request.image = text(node, "image");
            request.invalid = request.name == null || request.idNumber == null || request.image == null;
            if (request.invalid) {
                request.name = request.idNumber = request.image = null;
            }
        }
        out.collect(request);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    @Override
    public TypeInformation<Request> getProducedType() {
        return TypeInformation.of(Request.class);
    }
}
