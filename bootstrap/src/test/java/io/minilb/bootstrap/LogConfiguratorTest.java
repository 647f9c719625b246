package io.minilb.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.minilb.application.generation.RequestLogging;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogConfiguratorTest {

    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)";

    private final LoggerContext context = new LoggerContext();

    private ExecutionStatus configure() {
        var configurator = new LogConfigurator();
        configurator.setContext(context);
        return configurator.configure(context);
    }

    @Test
    void textLinesCarryTheRequestIdOnlyWhenAboutARequest() {
        assertThat(configure()).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger logger = context.getLogger("io.minilb.adapters.in.http.GenerationHandler");
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);

        assertThat(line(logger, root, LogConfigurator.TEXT_APPENDER, Map.of(RequestLogging.REQUEST_ID_KEY, "req-1")))
                .matches(TIME + " WARN  \\[" + threadName() + "\\] GenerationHandler - \\[req=req-1\\] status=502\n");
        assertThat(line(logger, root, LogConfigurator.TEXT_APPENDER, Map.of()))
                .matches(TIME + " WARN  \\[" + threadName() + "\\] GenerationHandler - status=502\n");
    }

    @Test
    void aThrowableFollowsTheLineWithItsStackTrace() {
        configure();
        Logger logger = context.getLogger("io.minilb.bootstrap.MiniLb");
        var event = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, "stopped",
                new IllegalStateException("boom", new IOException("disk")), null);
        event.setMDCPropertyMap(Map.of());

        String text = encode(context.getLogger(Logger.ROOT_LOGGER_NAME), LogConfigurator.TEXT_APPENDER, event);

        assertThat(text).matches("(?s)" + TIME + " ERROR \\[" + threadName() + "\\] MiniLb - stopped\n"
                + "java.lang.IllegalStateException: boom\n\tat io.minilb.bootstrap.LogConfiguratorTest.*"
                + "Caused by: java.io.IOException: disk\n.*");
    }

    @Test
    void theAccessLogHasItsOwnLineWithoutTheRequestIdPrefixAndOnlyOnce() {
        configure();
        Logger access = context.getLogger(LogConfigurator.ACCESS_LOGGER);

        assertThat(access.isAdditive()).isFalse();
        assertThat(line(access, access, LogConfigurator.ACCESS_APPENDER, Map.of(RequestLogging.REQUEST_ID_KEY, "req-1")))
                .matches(TIME + " WARN  \\[" + threadName() + "\\] access - status=502\n");
    }

    @Test
    void chattyLibrariesAreQuietAndTheRootLevelComesFromTheEnvironmentOrAProperty() {
        System.setProperty(LogConfigurator.LEVEL_VARIABLE, "debug");
        try {
            configure();
        } finally {
            System.clearProperty(LogConfigurator.LEVEL_VARIABLE);
        }

        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("io.undertow.request").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.xnio.nio").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.hc.client5").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.fabric8.kubernetes.client.informers.impl.cache.Reflector").getLevel())
                .isEqualTo(Level.ERROR);
    }

    @Test
    void jsonReplacesTheAccessLogsAppenderAndAddsNoneWhereThereWasNone() {
        configure();
        Logger access = context.getLogger(LogConfigurator.ACCESS_LOGGER);
        Logger withoutAppenders = context.getLogger("io.minilb.domain");

        LogSetup.useJson(access);
        LogSetup.useJson(withoutAppenders);

        assertThat(appenderNames(access)).containsExactly(LogSetup.JSON_APPENDER);
        assertThat(appenderNames(withoutAppenders)).isEmpty();
    }

    @Test
    void aConfigurationFileGivenOnTheCommandLineTakesPrecedence() {
        System.setProperty(ClassicConstants.CONFIG_FILE_PROPERTY, "elsewhere.xml");
        try {
            assertThat(configure()).isEqualTo(ExecutionStatus.NEUTRAL);
        } finally {
            System.clearProperty(ClassicConstants.CONFIG_FILE_PROPERTY);
        }
        assertThat(appenderNames(context.getLogger(Logger.ROOT_LOGGER_NAME))).isEmpty();
    }

    /** The line the named appender of {@code owner} writes for a WARN "status=502" of the logger with this MDC. */
    private static String line(Logger logger, Logger owner, String appenderName, Map<String, String> mdc) {
        var event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "status={}", null,
                new Object[] {502});
        event.setMDCPropertyMap(mdc);
        return encode(owner, appenderName, event);
    }

    private static String encode(Logger owner, String appenderName, ILoggingEvent event) {
        Appender<ILoggingEvent> appender = owner.getAppender(appenderName);
        assertThat(appender).as(appenderName).isNotNull();
        byte[] bytes = ((OutputStreamAppender<ILoggingEvent>) appender).getEncoder().encode(event);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<String> appenderNames(Logger logger) {
        List<String> names = new ArrayList<>();
        logger.iteratorForAppenders().forEachRemaining(appender -> names.add(appender.getName()));
        return names;
    }

    private static String threadName() {
        return Thread.currentThread().getName();
    }
}
