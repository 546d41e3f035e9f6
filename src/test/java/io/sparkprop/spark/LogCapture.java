package io.sparkprop.spark;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures, while open, what one logger and its children log at {@code level} and above, whatever
 * the test configuration lets through to the console, as "LEVEL message" lines with any stack trace.
 */
public final class LogCapture implements AutoCloseable {
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final StringWriter text = new StringWriter();
    private final WriterAppender appender;
    private final LoggerConfig logger;

    public LogCapture(String loggerName, Level level) {
        Configuration config = context.getConfiguration();
        appender = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%p %m%n").build(), null,
                text, "capture-" + loggerName, false, true);
        appender.start();
        logger = new LoggerConfig(loggerName, level, false);
        logger.addAppender(appender, level, null);
        config.addLogger(loggerName, logger);
        context.updateLoggers();
    }

    /** What was logged so far. */
    public String text() {
        return text.toString();
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(logger.getName());
        context.updateLoggers();
        appender.stop();
    }
}
