package io.minilb.application.port.in;

import io.minilb.application.generation.GenerationCall;
import io.minilb.application.generation.GenerationObserver;
import io.minilb.application.generation.GenerationRequest;

/** Serve a generation through a prefill/decode pair. */
public interface RouteGenerationUseCase {

    /** Starts the generation and returns at once; the outcome reaches {@code observer}. */
    GenerationCall route(GenerationRequest request, GenerationObserver observer);
}
