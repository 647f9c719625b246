package io.minilb.simulator.generation;

import io.minilb.simulator.SimulatedModel;
import io.minilb.simulator.SimulatorConfig;
import io.minilb.simulator.TextStyle;
import io.minilb.simulator.http.AsyncExchange;
import io.minilb.simulator.rendezvous.BootstrapClient;
import io.minilb.simulator.rendezvous.KvTransfer;
import io.minilb.simulator.rendezvous.RendezvousFailure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A decode's item: claim the room at {@code bootstrap_host:bootstrap_port}, wait for the prefill's KV, check it
 * belongs to this prompt, then produce the tokens: the first at once (it comes with the KV), the others at the
 * decode latency, on timers rather than sleeping threads.
 */
public final class DecodeLeg implements Leg {
    private final BootstrapClient bootstrap;
    private final SimulatorConfig config;
    private final DecodeBatch batch;

    public DecodeLeg(BootstrapClient bootstrap, SimulatorConfig config) {
        this.bootstrap = bootstrap;
        this.config = config;
        this.batch = new DecodeBatch(config.decodeBatchSize());
    }

    @Override
    public boolean computesPrompt() {
        return false;
    }

    @Override
    public void run(ItemOutput output, Generation generation) {
        AsyncExchange exchange = generation.exchange();
        BootstrapTarget target = output.item().target();
        int port = target.port() != null ? target.port() : config.bootstrapPort();
        CompletableFuture<KvTransfer> kv = bootstrap.claim(target.host(), port, target.room());
        exchange.onFinish(() -> kv.cancel(true));
        kv.whenComplete((transfer, error) -> exchange.execute(() -> {
            if (error != null) {
                generation.fail(output, failureOf(error));
            } else if (transfer.promptHash() != output.item().promptHash()) {
                generation.fail(output, Failure.failed("the KV received for bootstrap_room " + target.room()
                        + " belongs to another prompt (" + transfer.promptTokens() + " tokens at the prefill, "
                        + output.item().promptIds().size() + " here)"));
            } else {
                output.setCachedTokens(transfer.cachedTokens());
                double msPerToken = config.decodeMsPerToken() + generation.faults().slowMsPerToken();
                batch.join();
                exchange.onFinish(batch::leave);
                new TokenPacer(output, generation, msPerToken, config.textStyle(), batch).emitDueTokens();
            }
        }));
    }

    /**
     * Emits an item's tokens on schedule: each one due {@code msPerToken} (stretched by the batch when it is full)
     * after the previous, the first at once.
     * While a streaming client lags behind, it waits, and then resumes at the same pace rather than in a burst.
     */
    private static final class TokenPacer {
        private final ItemOutput output;
        private final Generation generation;
        private final double msPerToken;
        private final TextStyle textStyle;
        private final DecodeBatch batch;
        private final long promptHash;
        private long startNanos = System.nanoTime();
        private long pausedNanos;
        /** When the next token is due, in ms of generation time. */
        private double dueMillis;

        TokenPacer(ItemOutput output, Generation generation, double msPerToken, TextStyle textStyle,
                DecodeBatch batch) {
            this.output = output;
            this.generation = generation;
            this.msPerToken = msPerToken;
            this.textStyle = textStyle;
            this.batch = batch;
            this.promptHash = output.item().promptHash();
        }

        /** Emits every token due by now, then waits on a timer until the next one is. */
        void emitDueTokens() {
            AsyncExchange exchange = generation.exchange();
            int maxTokens = output.item().maxTokens();
            long wait;
            do {
                int position = output.tokenCount();
                if (position < maxTokens) {
                    output.append(SimulatedModel.outputTokenId(textStyle, promptHash, position));
                    dueMillis += batch.msPerToken(msPerToken);
                }
                if (output.tokenCount() == maxTokens) {
                    output.finish(maxTokens);
                }
                generation.progress(output, position);
                if (output.isFinished() || exchange.isFinished()) {
                    return;
                }
                if (generation.waitForClient(this::resumeAfterPause)) {
                    pausedNanos = System.nanoTime();
                    return;
                }
                wait = Math.round(dueMillis) - (System.nanoTime() - startNanos) / 1_000_000;
            } while (wait <= 0);
            exchange.schedule(wait, this::emitDueTokens);
        }

        /** The time spent waiting for the client does not count as generation time. */
        private void resumeAfterPause() {
            startNanos += System.nanoTime() - pausedNanos;
            emitDueTokens();
        }
    }

    private static Failure failureOf(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof RendezvousFailure rendezvous) {
            return new Failure(rendezvous.event(), 500, rendezvous.getMessage());
        }
        return Failure.failed("KV transfer failed: " + cause);
    }
}
