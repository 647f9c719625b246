package io.minilb.application.admin;

import java.util.Objects;

/**
 * One server's answer to an admin call, or why there was none.
 *
 * @param status the HTTP status, or 0 when the server could not be reached
 * @param error why there is no answer (refused, timed out), or null when there is one
 */
public record WorkerReply(String workerUrl, int status, String contentType, byte[] body, String error) {

    public WorkerReply {
        Objects.requireNonNull(workerUrl, "workerUrl");
        body = body == null ? new byte[0] : body;
    }

    public static WorkerReply answered(String workerUrl, int status, String contentType, byte[] body) {
        return new WorkerReply(workerUrl, status, contentType, body, null);
    }

    public static WorkerReply unreachable(String workerUrl, String error) {
        return new WorkerReply(workerUrl, 0, null, null, Objects.requireNonNull(error, "error"));
    }

    public boolean succeeded() {
        return error == null && status >= 200 && status < 300;
    }

    /** What went wrong, for an error message: the transport error or the status. */
    public String problem() {
        return error != null ? error : "HTTP " + status;
    }
}
