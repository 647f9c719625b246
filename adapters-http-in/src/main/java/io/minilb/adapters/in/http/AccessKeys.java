package io.minilb.adapters.in.http;

import java.util.Objects;
import java.util.Optional;

/**
 * The keys clients must present as {@code Authorization: Bearer KEY}: {@code apiKey} for the serving routes,
 * {@code adminApiKey} for the admin routes. Never printed: {@link #toString} says only which keys are set.
 *
 * @param apiKey empty: the serving routes are open
 * @param adminApiKey empty: the admin routes take {@code apiKey}, or are open when that is empty too
 */
public record AccessKeys(Optional<String> apiKey, Optional<String> adminApiKey) {

    public AccessKeys {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(adminApiKey, "adminApiKey");
        requireUsable(apiKey, "--api-key");
        requireUsable(adminApiKey, "--admin-api-key");
        if (apiKey.isPresent() && apiKey.equals(adminApiKey)) {
            throw new IllegalArgumentException("--admin-api-key must differ from --api-key, "
                    + "or every client could use the admin routes");
        }
    }

    /** Everything open, as mini-lb was before keys. */
    public static AccessKeys none() {
        return new AccessKeys(Optional.empty(), Optional.empty());
    }

    private static void requireUsable(Optional<String> key, String flag) {
        key.ifPresent(value -> {
            // A header value cannot carry surrounding spaces or control characters: such a key could never match.
            if (value.isBlank() || !value.strip().equals(value) || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException(flag + " must be non-empty, without spaces around it or control "
                        + "characters");
            }
        });
    }

    @Override
    public String toString() {
        return "AccessKeys[apiKey=" + (apiKey.isPresent() ? "set" : "none")
                + ", adminApiKey=" + (adminApiKey.isPresent() ? "set" : "none") + "]";
    }
}
