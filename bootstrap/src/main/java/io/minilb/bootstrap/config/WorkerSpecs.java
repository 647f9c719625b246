package io.minilb.bootstrap.config;

import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import java.util.List;
import java.util.Locale;

/** Turns the textual worker forms of flags and the config file into domain workers. */
public final class WorkerSpecs {

    private WorkerSpecs() {
    }

    /** {@code URL} or {@code URL BOOTSTRAP_PORT} or {@code URL none}, as SGLang's router takes them. */
    public static PrefillWorker prefill(List<String> parts) {
        if (parts.isEmpty() || parts.size() > 2) {
            throw new InvalidConfigurationException(
                    "--prefill takes URL [BOOTSTRAP_PORT|none], got " + String.join(" ", parts));
        }
        String url = parts.get(0);
        try {
            if (parts.size() == 1 || parts.get(1).toLowerCase(Locale.ROOT).equals("none")) {
                return PrefillWorker.withoutBootstrapPort(url);
            }
            return PrefillWorker.of(url, bootstrapPort(url, parts.get(1)));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("--prefill: " + e.getMessage());
        }
    }

    /** The same forms in one string, as the config file writes them: {@code "http://p:30000 8998"}. */
    public static PrefillWorker prefill(String spec) {
        return prefill(List.of(spec.strip().split("\\s+")));
    }

    public static DecodeWorker decode(String url) {
        try {
            return new DecodeWorker(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("--decode: " + e.getMessage());
        }
    }

    private static int bootstrapPort(String url, String port) {
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException("--prefill " + url + ": bootstrap port '" + port
                    + "' is not a number; give a port in 1-65535 or 'none'");
        }
    }
}
