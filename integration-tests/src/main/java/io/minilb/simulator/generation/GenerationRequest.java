package io.minilb.simulator.generation;

import java.util.List;

/**
 * A parsed generation request, whatever its endpoint.
 *
 * @param batch            {@code /generate} with list-valued {@code text}/{@code input_ids}: answered with a list
 * @param samplesPerPrompt OpenAI's {@code n}: items come in groups of this many per prompt
 * @param id               response id of OpenAI endpoints
 * @param model            the {@code model} echoed by OpenAI endpoints
 * @param created          epoch seconds, for OpenAI's {@code created}
 */
public record GenerationRequest(
        Endpoint endpoint,
        List<GenerationItem> items,
        boolean batch,
        boolean stream,
        boolean returnLogprob,
        int topLogprobsNum,
        int samplesPerPrompt,
        boolean includeUsage,
        String id,
        String model,
        long created) {

    public GenerationRequest {
        items = List.copyOf(items);
    }
}
