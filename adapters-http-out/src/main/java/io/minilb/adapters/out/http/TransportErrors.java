package io.minilb.adapters.out.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.minilb.application.generation.GenerationFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.util.DeadlineTimeoutException;

/** Says what a failed connection to a backend, or an unreadable answer, means, in the words clients and logs get. */
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

    /**
     * A short phrase such as "connection refused", from a fixed vocabulary: exception texts can name library
     * classes or quote a server, and clients get this phrase.
     */
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
        if (error instanceof SocketTimeoutException) {
            return "timed out reading the response";
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
            return "malformed response";
        }
        if (error instanceof CancellationException) {
            return "cancelled";
        }
        return "connection failed";
    }

    /** Why an answer could not be read, in words fit for a client: no parser's or library's names. */
    static String unreadable(IOException e) {
        if (e instanceof LogprobSpans.MalformedLogprobs) {
            return e.getMessage();
        }
        if (e instanceof JsonProcessingException json && json.getLocation() != null
                && json.getLocation().getByteOffset() >= 0) {
            return "invalid JSON at byte " + json.getLocation().getByteOffset();
        }
        return "invalid JSON";
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
