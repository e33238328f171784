package com.facecheck.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.junit.jupiter.api.Test;

/** The choice of log format; what the JSON format writes is RunLogsTest's, on a whole run. */
class LogFormatTest {

    @Test
    void anUnknownFormatIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> LogFormat.forRun(Map.of(LogFormat.ENV, " yaml ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FACECHECK_LOG_FORMAT must be json or text, not 'yaml'");
    }

    @Test
    void textKeepsTheConfigurationThereIs() {
        Configuration before = ((LoggerContext) LogManager.getContext(false)).getConfiguration();
        LogFormat.forRun(Map.of(LogFormat.ENV, "TEXT"));
        assertThat(((LoggerContext) LogManager.getContext(false)).getConfiguration()).isSameAs(before);
    }
}
