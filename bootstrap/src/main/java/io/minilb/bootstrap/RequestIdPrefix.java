package io.minilb.bootstrap;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.minilb.application.generation.RequestLogging;

/**
 * {@code "[req=ID] "} when the event is about a request, nothing otherwise; in place of a {@code %replace} of an
 * empty {@code [req=]}, which ran a regular expression on every line.
 */
final class RequestIdPrefix extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        String id = event.getMDCPropertyMap().get(RequestLogging.REQUEST_ID_KEY);
        return id == null || id.isEmpty() ? "" : "[req=" + id + "] ";
    }
}
