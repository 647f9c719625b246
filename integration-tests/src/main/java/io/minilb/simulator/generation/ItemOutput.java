package io.minilb.simulator.generation;

import io.minilb.simulator.SimulatedModel;
import java.util.ArrayList;
import java.util.List;

/** What has been generated so far for one item. IO thread only. */
public final class ItemOutput {
    private final GenerationItem item;
    private final boolean hasInputLogprobs;
    private final List<Integer> outputIds = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private Integer finishLength;
    private int cachedTokens;

    /** @param hasInputLogprobs whether this server computed the prompt, so it can report the prompt's logprobs */
    public ItemOutput(GenerationItem item, boolean hasInputLogprobs) {
        this.item = item;
        this.hasInputLogprobs = hasInputLogprobs;
    }

    public GenerationItem item() {
        return item;
    }

    public boolean hasInputLogprobs() {
        return hasInputLogprobs;
    }

    /** Prompt tokens found in the prefill's prefix cache, reported as {@code meta_info.cached_tokens}. */
    public void setCachedTokens(int cachedTokens) {
        this.cachedTokens = cachedTokens;
    }

    public int cachedTokens() {
        return cachedTokens;
    }

    public void append(int tokenId) {
        outputIds.add(tokenId);
        text.append(SimulatedModel.tokenText(tokenId));
    }

    /** Ends generation with SGLang's {@code {"type": "length", "length": length}} finish reason. */
    public void finish(int length) {
        finishLength = length;
    }

    public boolean isFinished() {
        return finishLength != null;
    }

    /** The {@code length} of the finish reason; only once finished. */
    public int finishLength() {
        return finishLength;
    }

    public List<Integer> outputIds() {
        return outputIds;
    }

    public int tokenCount() {
        return outputIds.size();
    }

    public String text() {
        return text.toString();
    }

    /** The text of the tokens from {@code firstToken} on. */
    public String textFrom(int firstToken) {
        StringBuilder delta = new StringBuilder();
        for (int id : outputIds.subList(firstToken, outputIds.size())) {
            delta.append(SimulatedModel.tokenText(id));
        }
        return delta.toString();
    }
}
