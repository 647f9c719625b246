package io.minilb.bootstrap.cli;

import io.minilb.bootstrap.config.InvalidConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A key kept in a file, so that it appears in no command line: the whole file, less its surrounding whitespace. */
final class KeyFile {

    /** A key is a line; a file much larger than any key is not one (and is not read into memory). */
    static final long MAX_BYTES = 4096;

    private KeyFile() {
    }

    /** Errors name the file, never its content. */
    static String read(Path path, String flag) {
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new InvalidConfigurationException(flag + " " + path + ": larger than " + MAX_BYTES
                        + " bytes, not a key");
            }
            String key = Files.readString(path).strip();
            if (key.isEmpty() || key.lines().count() > 1) {
                throw new InvalidConfigurationException(flag + " " + path + ": must hold one key on one line");
            }
            return key;
        } catch (NoSuchFileException e) {
            throw new InvalidConfigurationException(flag + " " + path + ": no such file");
        } catch (IOException e) {
            throw new InvalidConfigurationException(flag + " " + path + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
