package com.facecheck.testing;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Everything logged while it is open, at every level, from every logger, as text a test can scan. */
public final class CapturedLogs implements AutoCloseable {

    private static final String NAME = "captured-for-test";
    private final StringWriter text = new StringWriter();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final Level previousRootLevel;
    private final Level previousOwnLevel;

    public CapturedLogs() {
        Configuration config = context.getConfiguration();
        WriterAppender appender = WriterAppender.newBuilder().setName(NAME).setTarget(text)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %logger - %msg %throwable%n").build()).build();
        appender.start();
        config.addAppender(appender);
        LoggerConfig root = config.getRootLogger();
        previousRootLevel = root.getLevel();
        root.addAppender(appender, Level.ALL, null);
        root.setLevel(Level.INFO);
        LoggerConfig own = config.getLoggerConfig("com.facecheck");
        previousOwnLevel = own.getLevel();
        own.setLevel(Level.DEBUG);
        context.updateLoggers();
    }

    public String text() {
        return text.toString();
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(NAME);
        config.getRootLogger().setLevel(previousRootLevel);
        config.getLoggerConfig("com.facecheck").setLevel(previousOwnLevel);
        context.updateLoggers();
    }
}
