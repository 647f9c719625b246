package io.minilb.containers;

import java.nio.file.Path;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The project's two images, built once per test JVM from their Dockerfiles and freshly packaged jars, with the
 * base image of {@link SuiteSettings#baseImage()}. They keep the tags that docs/CONTAINERS.md builds by hand, so
 * Docker's layer cache makes a rebuild of unchanged jars instant, and they stay for manual use after the suite.
 */
final class ProjectImages {

    static final String MINI_LB = "minilb/mini-lb:local";
    static final String SIMULATOR = "minilb/sglang-simulator:local";

    private static ImageFromDockerfile miniLb;
    private static ImageFromDockerfile simulator;

    private ProjectImages() {
    }

    static synchronized ImageFromDockerfile miniLb() {
        if (miniLb == null) {
            miniLb = image(MINI_LB, SuiteSettings.miniLbDockerfile(), "mini-lb.jar", SuiteSettings.miniLbJar());
        }
        return miniLb;
    }

    static synchronized ImageFromDockerfile simulator() {
        if (simulator == null) {
            simulator = image(SIMULATOR, SuiteSettings.simulatorDockerfile(), "sglang-simulator.jar",
                    SuiteSettings.simulatorJar());
        }
        return simulator;
    }

    /** The build context holds just the Dockerfile and the jar it copies. */
    private static ImageFromDockerfile image(String tag, Path dockerfile, String jarName, Path jar) {
        return new ImageFromDockerfile(tag, false)
                .withFileFromPath("Dockerfile", dockerfile)
                .withFileFromPath(jarName, jar)
                .withBuildArg("BASE_IMAGE", SuiteSettings.baseImage());
    }
}
