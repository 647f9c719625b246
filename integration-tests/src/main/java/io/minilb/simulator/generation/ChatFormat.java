package io.minilb.simulator.generation;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code /v1/chat/completions}: {@code chat.completion} and {@code chat.completion.chunk} objects. */
final class ChatFormat extends OpenAiFormat {
    static final ChatFormat INSTANCE = new ChatFormat();

    private ChatFormat() {
        super("chat.completion", "chat.completion.chunk");
    }

    @Override
    void putOutput(ObjectNode choice, String text) {
        ObjectNode message = choice.putObject("message").put("role", "assistant").put("content", text);
        message.putNull("reasoning_content");
        message.putNull("tool_calls");
    }

    @Override
    void putDelta(ObjectNode choice, String text) {
        ObjectNode delta = choice.putObject("delta");
        if (text != null) {
            delta.put("content", text);
        }
    }

    /** Like OpenAI, a choice's stream opens with the assistant role and empty content. */
    @Override
    ObjectNode openingChoice(int index) {
        ObjectNode choice = choice(index);
        choice.putObject("delta").put("role", "assistant").put("content", "");
        return choice;
    }
}
