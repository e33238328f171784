package com.facecheck.testing;

import com.facecheck.contract.Outcome;
import com.facecheck.topology.TopicNames;
import java.util.EnumMap;
import java.util.Map;

/** Topic names of one test, so that tests sharing the broker never read each other's records. */
public final class TestTopics {

    private TestTopics() {
    }

    public static TopicNames prefixed(String prefix) {
        Map<Outcome, String> results = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            results.put(outcome, prefix + outcome.defaultTopic());
        }
        return new TopicNames(prefix + TopicNames.DEFAULT_REQUESTS, results, prefix + TopicNames.DEFAULT_RETRYABLE,
                prefix + TopicNames.DEFAULT_POISON, prefix + TopicNames.DEFAULT_NAME_CLAIMS,
                prefix + TopicNames.DEFAULT_NAME_ANSWERS);
    }
}
