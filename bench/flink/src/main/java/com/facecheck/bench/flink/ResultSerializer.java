package com.facecheck.bench.flink;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Key = requestId, value = the result JSON, topic = the result topic of its code. */
final class ResultSerializer implements KafkaRecordSerializationSchema<Result> {
    private static final long serialVersionUID = 1L;

    private final List<String> topics;

    ResultSerializer(List<String> topics) {
        this.topics = List.copyOf(topics);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Result result, KafkaSinkContext context, Long timestamp) {
        int code = result.code >= 0 && result.code < topics.size() ? result.code : Result.FAILED;
        return new ProducerRecord<>(topics.get(code), result.requestId.getBytes(StandardCharsets.UTF_8),
                result.json.getBytes(StandardCharsets.UTF_8));
    }
}
