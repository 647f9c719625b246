package io.minilb.adapters.in.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.application.generation.Endpoint;

/**
 * What a generation body must satisfy before any backend sees it: only what SGLang itself refuses, so that a bad
 * body always gets the same 400 and a body SGLang takes always passes, unknown fields included.
 */
interface BodyValidator {

    void check(ObjectNode body) throws InvalidRequestException;

    static BodyValidator forEndpoint(Endpoint endpoint) {
        return switch (endpoint) {
            case GENERATE -> GenerateBodyValidator.INSTANCE;
            case CHAT_COMPLETIONS -> ChatBodyValidator.INSTANCE;
            case COMPLETIONS -> CompletionBodyValidator.INSTANCE;
        };
    }
}
