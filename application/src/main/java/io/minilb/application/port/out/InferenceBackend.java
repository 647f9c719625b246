package io.minilb.application.port.out;

import io.minilb.application.generation.GenerationCall;
import io.minilb.application.generation.GenerationObserver;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.domain.BackendPair;
import io.minilb.domain.BootstrapAssignment;
import java.time.Duration;

/**
 * Sends one generation to both servers of a pair at once, with the same bootstrap assignment,
 * and reports the decode's answer. When one leg fails the other is cancelled at once.
 */
public interface InferenceBackend {

    /**
     * @param timeout bounds the whole exchange, both legs and a whole stream included: what is left of the request's
     *     time when this attempt starts
     */
    GenerationCall generate(BackendPair pair, BootstrapAssignment assignment, GenerationRequest request,
            Duration timeout, GenerationObserver observer);
}
