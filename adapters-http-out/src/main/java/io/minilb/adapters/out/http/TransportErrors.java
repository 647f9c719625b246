package io.minilb.adapters.out.http;

import io.minilb.application.generation.GenerationFailure;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.util.DeadlineTimeoutException;

/** Says what a failed connection to a backend means, in the words clients and logs get. */
final class TransportErrors {

    private TransportErrors() {
    }

    static GenerationFailure.Kind kind(Throwable error) {
        if (isPoolFull(error)) {
            return GenerationFailure.Kind.OVERLOADED;
        }
        if (error instanceof SocketTimeoutException && !(error instanceof ConnectTimeoutException)) {
            return GenerationFailure.Kind.TIMEOUT;
        }
        if (error instanceof HttpException) {
            return GenerationFailure.Kind.BAD_RESPONSE;
        }
        return GenerationFailure.Kind.UNREACHABLE;
    }

    /** A short phrase such as "connection refused". */
    static String describe(Throwable error) {
        String message = String.valueOf(error.getMessage());
        String lowerCase = message.toLowerCase(Locale.ROOT);
        if (error instanceof ConnectException && lowerCase.contains("refused")) {
            return "connection refused";
        }
        if (isPoolFull(error)) {
            return "no free connection to it within the connect timeout (the connection pool is full)";
        }
        if (error instanceof ConnectTimeoutException) {
            return "no connection within the connect timeout";
        }
        if (error instanceof UnknownHostException) {
            return "unknown host";
        }
        if (lowerCase.contains("reset")) {
            return "connection reset";
        }
        if (error instanceof ConnectionClosedException || error instanceof MalformedChunkCodingException
                || lowerCase.contains("broken pipe")) {
            return "connection closed before the response was complete";
        }
        if (error instanceof HttpException) {
            return "malformed response: " + message;
        }
        return error.getMessage() == null ? error.getClass().getSimpleName() : message;
    }

    /** A lease that waited its connection request timeout: the pool's own check or the one of AbortableExecution. */
    private static boolean isPoolFull(Throwable error) {
        return error instanceof DeadlineTimeoutException || error instanceof ConnectionRequestTimeoutException;
    }

    static String timedOutAfter(Duration timeout) {
        long millis = timeout.toMillis();
        return "timed out after " + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms");
    }
}
