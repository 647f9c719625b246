package io.minilb.containers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The suite's inputs, read from system properties (the failsafe configuration sets the paths; pass the others
 * with {@code -D}). Relative defaults resolve against the integration-tests module, failsafe's working directory.
 */
final class SuiteSettings {

    /** Any image with Java 17 on PATH and bash; {@code minilb/jre17:local} where no registry answers. */
    static final String BASE_IMAGE_PROPERTY = "minilb.baseImage";
    static final String DEFAULT_BASE_IMAGE = "eclipse-temurin:17-jre";

    private SuiteSettings() {
    }

    static String baseImage() {
        return System.getProperty(BASE_IMAGE_PROPERTY, DEFAULT_BASE_IMAGE);
    }

    static Path miniLbJar() {
        return existingFile("minilb.jar", "../bootstrap/target/mini-lb.jar",
                "build it first: mvn -pl bootstrap -am package -DskipTests");
    }

    static Path miniLbDockerfile() {
        return existingFile("minilb.dockerfile", "../bootstrap/src/main/docker/Dockerfile", "");
    }

    static Path simulatorJar() {
        return existingFile("simulator.jar", "target/sglang-simulator.jar",
                "build it first: mvn -pl integration-tests -am package -DskipTests");
    }

    static Path simulatorDockerfile() {
        return existingFile("simulator.dockerfile", "src/main/docker/Dockerfile", "");
    }

    /** A system property's value, absent when unset or blank. */
    static Optional<String> optional(String property) {
        return Optional.ofNullable(System.getProperty(property)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static Path existingFile(String property, String defaultPath, String hint) {
        Path path = Path.of(System.getProperty(property, defaultPath)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " does not exist (system property " + property + "); " + hint);
        }
        return path;
    }
}
