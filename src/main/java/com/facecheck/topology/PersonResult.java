package com.facecheck.topology;

import com.facecheck.contract.VerificationResult;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * A result on its way out, with the person it belongs to: results are keyed by request id but partitioned by
 * person, so one person's results stay in order on one partition for consumers too. Only the result is written.
 */
record PersonResult(String personKey, VerificationResult result) {

    /** Writes the result alone; results are read back as {@link VerificationResult}, never as this. */
    static Serde<PersonResult> serde(Serde<VerificationResult> results) {
        Serializer<VerificationResult> serializer = results.serializer();
        return Serdes.serdeFrom((topic, value) -> serializer.serialize(topic, value.result()), (topic, bytes) -> {
            throw new UnsupportedOperationException("read results as VerificationResult");
        });
    }

    static StreamPartitioner<String, PersonResult> byPerson() {
        return (topic, key, value, partitions) -> Optional.of(Set.of(
                Utils.toPositive(Utils.murmur2(value.personKey().getBytes(StandardCharsets.UTF_8)))
                        % partitions));
    }
}
