package io.minilb.bootstrap;

/** The listen address could not be bound, most often because another process holds the port. */
public final class PortUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    PortUnavailableException(String host, int port, Throwable cause) {
        this(host, port, "--port", cause);
    }

    /** @param flag the flag that picks this port */
    PortUnavailableException(String host, int port, String flag, Throwable cause) {
        super("cannot listen on " + host + ":" + port + " (" + rootMessage(cause)
                + "); is another process using the port? Pick another with " + flag, cause);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
