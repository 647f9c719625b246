package io.minilb.adapters.out.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationCall;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.application.limits.MemoryBudget;
import io.minilb.domain.BackendPair;
import io.minilb.domain.BootstrapAssignment;
import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import java.time.Duration;
import java.util.OptionalInt;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;

/** Requests and generations for tests, sent as the router sends them: one pair, bootstrap room 42. */
final class TestGenerations {

    private TestGenerations() {
    }

    /** A request whose body names the stream flag and the room; {@code onRender} runs at each rendering. */
    static GenerationRequest request(Endpoint endpoint, boolean stream, boolean returnLogprob, Runnable onRender) {
        return new GenerationRequest(endpoint, assignment -> {
            onRender.run();
            return ("{\"stream\":" + stream + ",\"bootstrap_room\":" + assignment.rooms().get(0).value() + "}")
                    .getBytes(UTF_8);
        }, stream, returnLogprob, OptionalInt.empty());
    }

    static GenerationRequest request(Endpoint endpoint, boolean stream, boolean returnLogprob) {
        return request(endpoint, stream, returnLogprob, () -> { });
    }

    static GenerationCall generate(CloseableHttpAsyncClient client, String prefillUrl, String decodeUrl,
            GenerationRequest request, Duration timeout, ResponseLimits limits, MemoryBudget budget,
            RecordingObserver observer) {
        var prefill = PrefillWorker.of(prefillUrl, 8998);
        var pair = new BackendPair(prefill, new DecodeWorker(decodeUrl));
        return new HttpClientInferenceBackend(client, limits, budget)
                .generate(pair, BootstrapAssignment.single(prefill, new BootstrapRoom(42)), request, timeout, observer);
    }
}
