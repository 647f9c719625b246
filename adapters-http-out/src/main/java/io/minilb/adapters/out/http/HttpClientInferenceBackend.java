package io.minilb.adapters.out.http;

import io.minilb.application.generation.GenerationCall;
import io.minilb.application.generation.GenerationObserver;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.out.InferenceBackend;
import io.minilb.domain.BackendPair;
import io.minilb.domain.BootstrapAssignment;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;

/**
 * Sends each generation to its prefill and decode server at once over the shared async client.
 * No thread or timer per request: legs run on the client's IO threads, deadlines on the JDK's
 * shared delay scheduler.
 */
public final class HttpClientInferenceBackend implements InferenceBackend {

    private final CloseableHttpAsyncClient client;
    private final ResponseLimits limits;
    private final MemoryBudget budget;
    private final OutboundHeaders headers;

    /**
     * @param client the shared client from {@link BackendHttpClients}, whose exec interceptor lets
     *     a cancelled leg close its connection
     * @param limits bound each answer held whole
     * @param budget reserves every byte held, across all generations
     */
    public HttpClientInferenceBackend(
            CloseableHttpAsyncClient client, ResponseLimits limits, MemoryBudget budget) {
        this(client, limits, budget, OutboundHeaders.none());
    }

    /** @param headers what each leg carries besides the body: the request's forwarded headers, the worker key */
    public HttpClientInferenceBackend(
            CloseableHttpAsyncClient client, ResponseLimits limits, MemoryBudget budget, OutboundHeaders headers) {
        this.client = Objects.requireNonNull(client, "client");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.headers = Objects.requireNonNull(headers, "headers");
    }

    @Override
    public GenerationCall generate(
            BackendPair pair, BootstrapAssignment assignment, GenerationRequest request, Duration timeout,
            GenerationObserver observer) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        byte[] body = request.payload().renderWith(assignment);
        String path = request.endpoint().path();
        var exchange = new PairedExchange(request, observer, timeout, limits, budget);
        exchange.start(client, URI.create(pair.prefill().url() + path), URI.create(pair.decode().url() + path), body,
                headers);
        return exchange;
    }
}
