package io.minilb.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated language model: a whitespace tokenizer and an output that is a pure function of the prompt's
 * token ids, so tests can assert exact texts. Prefill and decode agree on it without sharing state, which is
 * what lets a decode check that the KV it received belongs to its own prompt.
 */
public final class SimulatedModel {

    /** Default {@code max_new_tokens} / {@code max_tokens} when a request gives none (OpenAI's default). */
    public static final int DEFAULT_MAX_TOKENS = 16;

    /**
     * Output vocabulary. Besides plain words it holds a {@code [DONE]} look-alike, JSON-special characters and
     * multi-byte UTF-8, to catch proxies that scan for {@code [DONE]} as a substring, build JSON by hand or split
     * UTF-8 sequences between chunks.
     */
    private static final List<String> VOCABULARY = List.of(
            " the", " a", " model", " token", " cache", " prefill", " decode", " room", " balancer", " request",
            " stream", " batch", " latency", " kv", " server", " answer", " is", " of", " and", " to",
            " fast", " slow", " quiet", " bright", " river", " stone", " cloud", " light", " north", " south",
            " one", " two", " three", " seven", ",", ".", "!", "?", " (ok)", " [DONE]",
            " \"quoted\"", " back\\slash", " tab\there", " naïve", " café", " 東京", " ünïcødé", " 🙂", " data:", " end");

    /**
     * The {@link TextStyle#PROSE} output: a passage read on from one of its sentence starts, so any answer is
     * readable. Its token ids have their own range, so a token's text never depends on the server's style.
     */
    private static final List<String> PASSAGE = List.of(
            " A", " prefill", " server", " reads", " the", " prompt", " and", " builds", " its", " KV", " cache.",
            " A", " decode", " server", " receives", " that", " cache", " and", " writes", " the", " answer,",
            " one", " token", " at", " a", " time.", " The", " load", " balancer", " picks", " one", " of", " each",
            " for", " every", " request", " and", " gives", " both", " the", " same", " bootstrap", " room.",
            " Splitting", " the", " work", " this", " way", " keeps", " long", " prompts", " from", " slowing",
            " down", " the", " answers", " already", " being", " written.");
    private static final List<Integer> SENTENCE_STARTS = sentenceStarts();

    private static final int OUTPUT_ID_BASE = 1_000;
    private static final int PROSE_ID_BASE = 2_000;
    private static final int PROMPT_VOCABULARY_SIZE = 30_000;
    private static final Pattern WORD = Pattern.compile("\\S+");

    private SimulatedModel() {
    }

    /** The prompt's token ids: one per whitespace-separated word. */
    public static List<Integer> tokenize(String text) {
        List<Integer> ids = new ArrayList<>();
        Matcher words = WORD.matcher(text);
        while (words.find()) {
            ids.add(Math.floorMod(words.group().hashCode(), PROMPT_VOCABULARY_SIZE) + 100);
        }
        return ids;
    }

    /** The prompt the simulator's chat template builds from chat messages. */
    public static String chatPrompt(List<ChatMessage> messages) {
        StringBuilder prompt = new StringBuilder();
        for (ChatMessage message : messages) {
            prompt.append("<|").append(message.role()).append("|>\n").append(message.content()).append('\n');
        }
        return prompt.append("<|assistant|>\n").toString();
    }

    /** The text generated for a text prompt with this many output tokens. */
    public static String expectedText(String prompt, int maxTokens) {
        return expectedText(tokenize(prompt), maxTokens);
    }

    /** The text generated for a prompt given as token ids with this many output tokens. */
    public static String expectedText(List<Integer> promptIds, int maxTokens) {
        long hash = promptHash(promptIds);
        StringBuilder text = new StringBuilder();
        for (int position = 0; position < maxTokens; position++) {
            text.append(tokenText(outputTokenId(hash, position)));
        }
        return text.toString();
    }

    /** The output token ids generated for a prompt. */
    public static List<Integer> expectedOutputIds(List<Integer> promptIds, int maxTokens) {
        long hash = promptHash(promptIds);
        List<Integer> ids = new ArrayList<>(maxTokens);
        for (int position = 0; position < maxTokens; position++) {
            ids.add(outputTokenId(hash, position));
        }
        return ids;
    }

    /** A fingerprint of the prompt; prefill and decode compare it to prove the KV matches the request. */
    public static long promptHash(List<Integer> promptIds) {
        long hash = 0xcbf29ce484222325L; // FNV-1a
        for (int id : promptIds) {
            hash = (hash ^ id) * 0x100000001b3L;
        }
        return hash;
    }

    /** The {@link TextStyle#TRICKY} output token at a position. */
    public static int outputTokenId(long promptHash, int position) {
        return outputTokenId(TextStyle.TRICKY, promptHash, position);
    }

    /** The output token at a position; independent of earlier tokens so any position is cheap to compute. */
    public static int outputTokenId(TextStyle style, long promptHash, int position) {
        return switch (style) {
            case TRICKY -> OUTPUT_ID_BASE + Math.floorMod(mix(promptHash + position * 0x9E3779B97F4A7C15L), VOCABULARY.size());
            case PROSE -> {
                int start = SENTENCE_STARTS.get(Math.floorMod(mix(promptHash), SENTENCE_STARTS.size()));
                yield PROSE_ID_BASE + (start + position) % PASSAGE.size();
            }
        };
    }

    /** The {@link TextStyle#PROSE} text generated for a prompt given as token ids with this many output tokens. */
    public static String expectedProse(List<Integer> promptIds, int maxTokens) {
        long hash = promptHash(promptIds);
        StringBuilder text = new StringBuilder();
        for (int position = 0; position < maxTokens; position++) {
            text.append(tokenText(outputTokenId(TextStyle.PROSE, hash, position)));
        }
        return text.toString();
    }

    /** The text of an output token id, of either style. */
    public static String tokenText(int outputTokenId) {
        if (outputTokenId >= PROSE_ID_BASE && outputTokenId < PROSE_ID_BASE + PASSAGE.size()) {
            return PASSAGE.get(outputTokenId - PROSE_ID_BASE);
        }
        int index = outputTokenId - OUTPUT_ID_BASE;
        if (index < 0 || index >= VOCABULARY.size()) {
            throw new IllegalArgumentException("not an output token id: " + outputTokenId);
        }
        return VOCABULARY.get(index);
    }

    /** A deterministic log-probability in (-10, 0] for a token at a position. */
    public static double logprob(int tokenId, int position) {
        return -Math.floorMod(mix(tokenId * 31L + position), 10_000) / 1_000.0;
    }

    /** The {@code rank}-th most likely alternative at a position (rank 0 is the likeliest). */
    public static int topTokenId(int tokenId, int position, int rank) {
        return OUTPUT_ID_BASE + Math.floorMod(tokenId + position + rank * 7, VOCABULARY.size());
    }

    /** The log-probability of the {@code rank}-th alternative; decreasing in rank. */
    public static double topLogprob(int rank) {
        return -0.25 * (rank + 1);
    }

    private static List<Integer> sentenceStarts() {
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int index = 1; index < PASSAGE.size(); index++) {
            if (PASSAGE.get(index - 1).endsWith(".")) {
                starts.add(index);
            }
        }
        return List.copyOf(starts);
    }

    private static long mix(long z) { // SplitMix64's finalizer
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
