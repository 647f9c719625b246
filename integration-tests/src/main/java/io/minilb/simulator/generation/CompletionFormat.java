package io.minilb.simulator.generation;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code /v1/completions}: {@code text_completion} objects, streamed as {@code text_completion} chunks too. */
final class CompletionFormat extends OpenAiFormat {
    static final CompletionFormat INSTANCE = new CompletionFormat();

    private CompletionFormat() {
        super("text_completion", "text_completion");
    }

    @Override
    void putOutput(ObjectNode choice, String text) {
        choice.put("text", text);
    }

    @Override
    void putDelta(ObjectNode choice, String text) {
        choice.put("text", text == null ? "" : text);
    }

    @Override
    ObjectNode openingChoice(int index) {
        return null;
    }
}
