package io.minilb.domain.selection;

import java.util.Arrays;

/**
 * A prompt as {@link ApproximatePrefixTree} reads it: a mark that keeps text and token-id prompts apart (no prompt of
 * one kind shares a prefix with the other), then the prompt's characters or token ids, read in place: a decision
 * does not copy the prompt.
 */
final class PromptKey {

    private static final int TOKENS_MARK = -1;
    private static final int TEXT_MARK = -2;

    private final String text;
    /** The context's own array, read only; empty for a text prompt. */
    private final int[] tokens;
    private final boolean isTokens;
    private final int mark;
    private final int length;

    PromptKey(RoutingContext context) {
        isTokens = context.hasTokens();
        text = context.promptText();
        tokens = context.sharedTokens();
        mark = isTokens ? TOKENS_MARK : TEXT_MARK;
        length = 1 + (isTokens ? tokens.length : text.length());
    }

    /** Elements, the mark included. */
    int length() {
        return length;
    }

    /** Whether the key holds a prompt beyond its mark. */
    boolean hasPrompt() {
        return length > 1;
    }

    int at(int index) {
        if (index == 0) {
            return mark;
        }
        return isTokens ? tokens[index - 1] : text.charAt(index - 1);
    }

    /** How many leading elements of {@code edge} equal this key's from {@code from} on. */
    int commonLength(int[] edge, int from) {
        int limit = Math.min(edge.length, length - from);
        int i = 0;
        if (from == 0 && limit > 0) {
            if (edge[0] != mark) {
                return 0;
            }
            i = 1;
        }
        if (isTokens) {
            int mismatch = Arrays.mismatch(edge, i, limit, tokens, from + i - 1, from + limit - 1);
            return mismatch < 0 ? limit : i + mismatch;
        }
        while (i < limit && edge[i] == text.charAt(from + i - 1)) {
            i++;
        }
        return i;
    }

    /** The elements from {@code from} to the end: the one copy made, when the key adds a new leaf to the tree. */
    int[] copyFrom(int from) {
        int[] copy = new int[length - from];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = at(from + i);
        }
        return copy;
    }
}
