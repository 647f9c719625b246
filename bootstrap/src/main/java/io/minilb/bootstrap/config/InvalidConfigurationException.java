package io.minilb.bootstrap.config;

/** A configuration mistake the user must fix; its message is one line saying what and how. */
public final class InvalidConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidConfigurationException(String message) {
        super(message);
    }
}
