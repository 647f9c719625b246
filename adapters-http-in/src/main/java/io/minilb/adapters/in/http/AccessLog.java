package io.minilb.adapters.in.http;

import io.undertow.server.HttpServerExchange;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request, written when the exchange completes, on a logger of its own so it can be routed or
 * silenced apart from the rest:
 * {@code request_id=ID method=POST route=/generate status=200 prefill=URL decode=URL ttfb_ms=12.3 total_ms=456.7
 * bytes=1234 retries=0}. {@code prefill}/{@code decode} name the pair of the last attempt ({@code -} when none was
 * chosen), {@code retries} the attempts after the first; times are measured from when mini-lb had the request head.
 * The route is the raw path, cut at {@value RouteTable#PATH_ECHO_LIMIT} characters, anything but visible ASCII
 * replaced, so a client cannot forge a line.
 */
final class AccessLog {

    static final String LOGGER_NAME = "io.minilb.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final long TENTH_OF_A_MILLI = TimeUnit.MICROSECONDS.toNanos(100);

    private AccessLog() {
    }

    static void write(HttpServerExchange exchange, AccessRecord record) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        long end = System.nanoTime();
        int attempts = record.attempts();
        LOG.info("request_id={} method={} route={} status={} prefill={} decode={} ttfb_ms={} total_ms={} bytes={} "
                        + "retries={}",
                exchange.getResponseHeaders().getFirst(RequestContextHandler.REQUEST_ID_HEADER),
                exchange.getRequestMethod(), plain(RouteTable.abbreviated(exchange.getRequestPath())),
                exchange.getStatusCode(), orDash(record.prefill()), orDash(record.decode()),
                millis(record.firstByteNanos(end) - record.startNanos), millis(end - record.startNanos),
                record.bytesSent(), Math.max(0, attempts - 1));
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    /** Milliseconds with one decimal, rounded half up; without String.format, which costs more than the request. */
    static String millis(long nanos) {
        long tenths = Math.floorDiv(nanos + TENTH_OF_A_MILLI / 2, TENTH_OF_A_MILLI);
        return (tenths < 0 && tenths > -10 ? "-" : "") + tenths / 10 + "." + Math.abs(tenths % 10);
    }

    /** Visible ASCII only: a decoded path may hold a line break. */
    static String plain(String text) {
        char[] plain = text.toCharArray();
        for (int i = 0; i < plain.length; i++) {
            plain[i] = plain[i] > 0x20 && plain[i] < 0x7f ? plain[i] : '?';
        }
        return new String(plain);
    }
}
