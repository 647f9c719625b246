package io.minilb.bootstrap.wiring;

import com.google.inject.multibindings.ProvidesIntoMap;
import com.google.inject.multibindings.StringMapKey;
import io.minilb.bootstrap.config.InvalidConfigurationException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The selection policies' configuration names, read from {@link PolicyModule}'s map keys so that adding a policy
 * there is all it takes; and the message for a name that is none of them, which suggests the closest.
 */
public final class PolicyNames {

    private static final SortedSet<String> KNOWN = Arrays.stream(PolicyModule.class.getDeclaredMethods())
            .filter(method -> method.isAnnotationPresent(ProvidesIntoMap.class))
            .map(PolicyNames::mapKey)
            .collect(Collectors.toCollection(TreeSet::new));

    private PolicyNames() {
    }

    public static SortedSet<String> known() {
        return KNOWN;
    }

    /**
     * The name, when it is a known policy.
     *
     * @param where what set it, as the user typed it: a flag, or a key of the config file
     * @throws InvalidConfigurationException naming {@code where} and the closest known name
     */
    public static String require(String name, String where) {
        if (!KNOWN.contains(name)) {
            throw new InvalidConfigurationException(unknown(name, where));
        }
        return name;
    }

    static String unknown(String name, String where) {
        return "unknown policy '" + name + "' for " + where
                + closest(name).map(suggestion -> "; did you mean '" + suggestion + "'?").orElse(";")
                + " known policies: " + String.join(", ", KNOWN);
    }

    /** The known name a typo most likely meant: the same but for case and separators, else within a few edits. */
    static Optional<String> closest(String name) {
        String bare = bare(name);
        Optional<String> sameLetters = KNOWN.stream().filter(known -> bare(known).equals(bare)).findFirst();
        if (sameLetters.isPresent()) {
            return sameLetters;
        }
        int tolerance = Math.max(1, name.length() / 4);
        return KNOWN.stream()
                .filter(known -> editDistance(name.toLowerCase(Locale.ROOT), known) <= tolerance)
                .min(Comparator.comparingInt(known -> editDistance(name.toLowerCase(Locale.ROOT), known)));
    }

    private static String bare(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_ ]", "");
    }

    /** Levenshtein distance: single-character insertions, deletions and substitutions. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String mapKey(Method method) {
        StringMapKey key = method.getAnnotation(StringMapKey.class);
        if (key == null) {
            throw new IllegalStateException(method + " provides a policy without a @StringMapKey name");
        }
        return key.value();
    }
}
