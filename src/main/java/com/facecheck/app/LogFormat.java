package com.facecheck.app;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.util.PropertiesUtil;

/**
 * How the worker logs when it runs for real: JSON lines with ECS field names ({@value #JSON_CONFIG}), for a log
 * pipeline; the demo and the other commands keep the plain text of {@code log4j2.xml}.
 */
public final class LogFormat {

    /** {@code json} (the default for {@code run}) or {@code text}. */
    public static final String ENV = "FACECHECK_LOG_FORMAT";
    static final String JSON_CONFIG = "log4j2-json.xml";

    private LogFormat() {
    }

    /**
     * Switches this process's logging to JSON lines, unless {@value #ENV} is {@code text} or a log4j configuration
     * file was given ({@code -Dlog4j2.configurationFile}, {@code LOG4J_CONFIGURATION_FILE}), which then stands. Call
     * it first, before anything is logged: lines logged earlier stay plain text.
     *
     * @throws IllegalArgumentException naming {@value #ENV} when it is neither {@code json} nor {@code text}
     */
    public static void forRun(Map<String, String> env) {
        String given = env.get(ENV);
        String format = given == null || given.isBlank() ? "json" : given.strip().toLowerCase(Locale.ROOT);
        switch (format) {
            case "text" -> {
                // log4j2.xml, as the other commands
            }
            case "json" -> {
                if (PropertiesUtil.getProperties()
                        .getStringProperty(ConfigurationFactory.CONFIGURATION_FILE_PROPERTY) == null) {
                    Configurator.reconfigure(jsonConfig());
                }
            }
            default -> throw new IllegalArgumentException(ENV + " must be json or text, not '" + given.strip() + "'");
        }
    }

    private static URI jsonConfig() {
        URL config = LogFormat.class.getResource("/" + JSON_CONFIG);
        if (config == null) {
            throw new IllegalStateException(JSON_CONFIG + " is missing from the jar");
        }
        try {
            return config.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(JSON_CONFIG + " has no usable location: " + config, e);
        }
    }
}
