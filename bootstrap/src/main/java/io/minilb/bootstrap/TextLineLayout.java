package io.minilb.bootstrap;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import io.minilb.application.generation.RequestLogging;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One line per event, as the pattern {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n}
 * would write it (then the stack trace, if any), optionally with {@code [req=ID] } before the message when the event
 * is about a request. Written out rather than with logback's {@code PatternLayout}, whose class initialization
 * (a hundred converters) costs about a tenth of a second of startup, and which has no cheap way to leave out an
 * empty {@code [req=]}.
 */
final class TextLineLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());
    private static final int LEVEL_WIDTH = 5;

    private final boolean withRequestId;

    /** {@code withRequestId}: prefix the message with the request id of the event's MDC, when there is one. */
    TextLineLayout(boolean withRequestId) {
        this.withRequestId = withRequestId;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        var line = new StringBuilder(160);
        TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()), line);
        String level = event.getLevel().toString();
        line.append(' ').append(level);
        for (int i = level.length(); i < LEVEL_WIDTH; i++) {
            line.append(' ');
        }
        String logger = event.getLoggerName();
        line.append(" [").append(event.getThreadName()).append("] ")
                .append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ");
        String requestId = withRequestId ? event.getMDCPropertyMap().get(RequestLogging.REQUEST_ID_KEY) : null;
        if (requestId != null && !requestId.isEmpty()) {
            line.append("[req=").append(requestId).append("] ");
        }
        line.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown));
        }
        return line.toString();
    }
}
