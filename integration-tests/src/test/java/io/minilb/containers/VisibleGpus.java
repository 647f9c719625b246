package io.minilb.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Counts the NVIDIA GPUs this machine sees, with {@code nvidia-smi -L}; 0 where it is missing or fails. */
final class VisibleGpus {

    private VisibleGpus() {
    }

    static int count() {
        try {
            Process probe = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            String listing = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                return 0;
            }
            return (int) listing.lines().filter(line -> line.startsWith("GPU ")).count();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
