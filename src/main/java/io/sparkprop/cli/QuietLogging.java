package io.sparkprop.cli;

import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * While open and quiet, lets only errors through the log: every configured logger (Spark's, sparkprop's,
 * the root) below ERROR is raised to ERROR, and closing puts the levels back, so a program that
 * runs the command line in its own JVM keeps its logging. What {@code train --quiet} promises a
 * cron job: no INFO or WARN lines on stderr, and still every real error. Loggers configured
 * stricter (FATAL) stay so.
 *
 * <p>Log4j 2 is Spark's logging backend; where a host program has put another backend behind
 * SLF4J, this changes nothing.
 */
final class QuietLogging implements AutoCloseable {
    private final LoggerContext context;
    private final Map<LoggerConfig, Level> raised = new IdentityHashMap<>();

    private QuietLogging(LoggerContext context) {
        this.context = context;
        if (context == null) {
            return;
        }
        Configuration config = context.getConfiguration();
        raise(config.getRootLogger());
        config.getLoggers().values().forEach(this::raise);
        context.updateLoggers();
    }

    /** Errors only until {@link #close()} if {@code quiet}, else the log as configured. */
    static QuietLogging when(boolean quiet) {
        return new QuietLogging(quiet && LogManager.getContext(false) instanceof LoggerContext core ? core : null);
    }

    private void raise(LoggerConfig logger) {
        if (!logger.getLevel().isMoreSpecificThan(Level.ERROR) && !raised.containsKey(logger)) {
            raised.put(logger, logger.getLevel());
            logger.setLevel(Level.ERROR);
        }
    }

    @Override
    public void close() {
        if (context != null) {
            raised.forEach(LoggerConfig::setLevel);
            context.updateLoggers();
        }
    }
}
