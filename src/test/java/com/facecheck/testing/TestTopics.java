package com.facecheck.testing;

import com.facecheck.contract.Outcome;
import com.facecheck.topology.TopicNames;

/** Topic names of one test, so that tests sharing the broker never read each other's records. */
public final class TestTopics {

    private TestTopics() {
    }

    /** The worker's default topics, each behind {@code prefix}. */
    public static TopicNames prefixed(String prefix) {
        return TopicNames.defaults().withPrefix(prefix);
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
