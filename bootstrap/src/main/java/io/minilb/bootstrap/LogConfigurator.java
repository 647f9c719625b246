package io.minilb.bootstrap;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * mini-lb's logging, configured in code: logback finds it through {@code ServiceLoader} at the first log call, which
 * spares every start the parsing of an XML configuration (about a tenth of a second of CPU).
 * <p>
 * One line per event on stderr: {@code TIME LEVEL [thread] logger - [req=ID] message}, the request id only when the
 * line is about a request. The root level is {@code MINILB_LOG_LEVEL} (environment or system property; INFO when
 * unset or unknown); {@code --log-level} and {@code --log-json} change it afterwards ({@link LogSetup}). The access
 * log ({@code io.minilb.access}) has an appender of its own, without the request-id prefix (its message starts with
 * the id), and does not also go through the root's. A configuration given the usual logback ways takes this one's
 * place: {@code -Dlogback.configurationFile}, or {@code logback-test.xml} / {@code logback.xml} on the class path.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    static final String TEXT_APPENDER = "STDERR";
    static final String ACCESS_APPENDER = "ACCESS";
    /** The access log's logger, as {@code AccessLog} in the HTTP adapter names it. */
    static final String ACCESS_LOGGER = "io.minilb.access";
    static final String LEVEL_VARIABLE = "MINILB_LOG_LEVEL";

    /** Libraries that are chatty at INFO; a Reflector retry comes with a stack trace each (discovery logs it). */
    private static final Map<String, Level> QUIET_LOGGERS = Map.of(
            "org.xnio", Level.WARN,
            "io.undertow", Level.WARN,
            "org.apache.hc", Level.WARN,
            "io.fabric8.kubernetes.client.informers.impl.cache.Reflector", Level.ERROR);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (configuredElsewhere()) {
            return ExecutionStatus.NEUTRAL;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(setting(LEVEL_VARIABLE), Level.INFO));
        root.addAppender(stderr(context, TEXT_APPENDER, lines(context, true)));
        QUIET_LOGGERS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        Logger access = context.getLogger(ACCESS_LOGGER);
        access.setAdditive(false);
        access.addAppender(stderr(context, ACCESS_APPENDER, lines(context, false)));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static boolean configuredElsewhere() {
        ClassLoader loader = LogConfigurator.class.getClassLoader();
        return System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null
                || loader.getResource(ClassicConstants.TEST_AUTOCONFIG_FILE) != null
                || loader.getResource(ClassicConstants.AUTOCONFIG_FILE) != null;
    }

    private static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }

    private static Encoder<ILoggingEvent> lines(LoggerContext context, boolean withRequestId) {
        var layout = new TextLineLayout(withRequestId);
        layout.setContext(context);
        layout.start();
        var encoder = new LayoutWrappingEncoder<ILoggingEvent>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    /** A started appender writing what the encoder makes of each event to stderr. */
    static ConsoleAppender<ILoggingEvent> stderr(LoggerContext context, String name, Encoder<ILoggingEvent> encoder) {
        var appender = new ConsoleAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setName(name);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
