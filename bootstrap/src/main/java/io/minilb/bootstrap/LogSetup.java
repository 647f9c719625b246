package io.minilb.bootstrap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.minilb.bootstrap.config.Observability;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Applies the logging flags to the process's logback configuration (see {@link LogConfigurator}): the root level, and
 * JSON lines in place of text, for the access log too, written by logback's own {@link JsonEncoder} (the request id
 * is in its {@code mdc} object, as {@code request_id}). Process-wide, so the command line applies it, not an
 * embedded mini-lb.
 */
final class LogSetup {

    static final String JSON_APPENDER = "JSON";

    private LogSetup() {
    }

    static void apply(Observability observability) {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        observability.logLevel().ifPresent(level -> root.setLevel(Level.toLevel(level)));
        if (observability.logJson()) {
            useJson(root);
            useJson((Logger) LoggerFactory.getLogger(LogConfigurator.ACCESS_LOGGER));
        }
    }

    /** Replaces the logger's own appenders, if it has any, with one writing JSON lines to stderr. */
    static void useJson(Logger logger) {
        List<Appender<ILoggingEvent>> previous = new ArrayList<>();
        logger.iteratorForAppenders().forEachRemaining(previous::add);
        if (previous.isEmpty()) {
            return;
        }
        LoggerContext context = logger.getLoggerContext();
        logger.addAppender(LogConfigurator.stderr(context, JSON_APPENDER, jsonEncoder(context)));
        previous.forEach(old -> {
            logger.detachAppender(old);
            old.stop();
        });
    }

    /** One object per line: time, level, thread, logger, MDC, the formatted message and any throwable. */
    static JsonEncoder jsonEncoder(LoggerContext context) {
        var encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithArguments(false);
        encoder.setWithMessage(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        return encoder;
    }
}
