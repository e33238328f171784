package com.facecheck.testing;

import com.facecheck.contract.Outcome;
import com.facecheck.topology.TopicNames;
import java.util.EnumMap;
import java.util.Map;

/** Topic names of one test, so that tests sharing the broker never read each other's records. */
public final class TestTopics {

    private TestTopics() {
    }

    /** The worker's default topics, each behind {@code prefix}. */
    public static TopicNames prefixed(String prefix) {
        TopicNames defaults = TopicNames.defaults();
        Map<Outcome, String> results = new EnumMap<>(Outcome.class);
        defaults.results().forEach((outcome, topic) -> results.put(outcome, prefix + topic));
        return new TopicNames(prefix + defaults.requests(), results, prefix + defaults.retryableDeadLetters(),
                prefix + defaults.poisonDeadLetters(), prefix + defaults.parkedDeadLetters(), prefix + defaults.audit(),
                prefix + defaults.nameClaims(), prefix + defaults.nameAnswers());
    }

    /** The topics section of a configuration file naming every topic of {@code names}. */
    public static String yaml(TopicNames names) {
        StringBuilder yaml = new StringBuilder("topics:\n  requests: " + names.requests() + "\n  results:\n");
        for (Outcome outcome : Outcome.values()) {
            yaml.append("    ").append(outcome.outcomeName()).append(": ").append(names.resultTopic(outcome))
                    .append('\n');
        }
        return yaml.append("  retryable-dead-letters: ").append(names.retryableDeadLetters())
                .append("\n  poison-dead-letters: ").append(names.poisonDeadLetters())
                .append("\n  parked-dead-letters: ").append(names.parkedDeadLetters())
                .append("\n  audit: ").append(names.audit())
                .append("\n  name-claims: ").append(names.nameClaims())
                .append("\n  name-answers: ").append(names.nameAnswers()).append('\n').toString();
    }
}
