package com.facecheck.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** The Kafka libraries' logs in commands that say themselves what matters. */
final class KafkaLogs {

    private KafkaLogs() {
    }

    /**
     * Errors only: the broker and the clients warn about what is normal on one machine (a new metadata log,
     * transaction retries, a broker not up yet, temporary state folders). FACECHECK_KAFKA_LOG_LEVEL overrides.
     */
    static void quiet() {
        if (System.getenv("FACECHECK_KAFKA_LOG_LEVEL") == null) {
            Configurator.setLevel("org.apache.kafka", Level.ERROR);
            Configurator.setLevel("kafka", Level.ERROR);
        }
    }
}
