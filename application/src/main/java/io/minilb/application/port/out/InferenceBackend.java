package io.minilb.application.port.out;

import io.minilb.application.generation.GenerationCall;
import io.minilb.application.generation.GenerationObserver;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.domain.BackendPair;
import io.minilb.domain.BootstrapAssignment;

/**
 * Sends one generation to both servers of a pair at once, with the same bootstrap assignment,
 * and reports the decode's answer. When one leg fails the other is cancelled at once.
 */
public interface InferenceBackend {

    GenerationCall generate(
            BackendPair pair, BootstrapAssignment assignment, GenerationRequest request, GenerationObserver observer);
}
