package io.minilb.adapters.out.http;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.EndpointInfo;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.async.AsyncExecRuntime;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * One execution on the shared client, which {@link #abort} ends for real at whatever stage it is in:
 * nothing of it runs on afterwards, and its connection leaves it at once: back to the pool if
 * nothing was sent on it, closed if an exchange had started (so the server sees the client go and
 * frees the request's KV).
 *
 * <p>HttpClient 5.6 does neither by itself:
 * <ul>
 *   <li>Cancelling the future {@code execute} returns only reaches the stage recorded as the
 *       future's dependency, and {@code AsyncConnectExec} records the lease only once the lease
 *       call returns. When the pool grants the lease at once, its callback has by then started the
 *       connect, or the exchange on a pooled connection, so the cancel reaches a finished lease and
 *       the rest runs on. A lease granted later (when the pool was full) also proceeds after a cancel
 *       that came first, and sends the request.
 *   <li>Discarding the runtime's endpoint while it connects returns its pool entry empty: the connect
 *       then completes onto an entry that is no longer the pool's, and the connection is neither
 *       pooled nor closed, outside the pool's limits, until the server closes it.
 *   <li>Cancelling a connect cannot fix that: a connect that completes while it is being cancelled
 *       is dropped by the cancelled futures without being closed.
 * </ul>
 * So the client's first exec interceptor, {@link #GUARD}, runs each execution on a {@link Runtime}
 * that checks for an abort between stages. A pending lease is cancelled (the pool takes back a lease
 * it grants to a cancelled request); a connect is never cancelled but given back when it ends,
 * within the connect timeout, its pool entry counted until then; an exchange is cancelled and its
 * connection closed.
 *
 * <p>The runtime also enforces the request config's connection request timeout on a pending lease:
 * the pool checks it only when it is leased from or released to, so a lease queued behind
 * connections that all stay busy would otherwise wait until one of them ends.
 */
final class AbortableExecution {

    private static final String ATTRIBUTE = AbortableExecution.class.getName();

    /** Installed first in the client's exec chain by {@link BackendHttpClients}; runs on the calling thread. */
    static final AsyncExecChainHandler GUARD = (request, entityProducer, scope, chain, callback) -> {
        AsyncExecChain.Scope guarded = scope;
        if (scope.clientContext.getAttribute(ATTRIBUTE) instanceof AbortableExecution execution) {
            guarded = new AsyncExecChain.Scope(scope.exchangeId, scope.route, scope.originalRequest,
                    scope.cancellableDependency, scope.clientContext, execution.guard(scope.execRuntime),
                    scope.scheduler, scope.execCount);
        }
        chain.proceed(request, entityProducer, guarded, callback);
    };

    /** What an abort must do, by what the execution is doing. */
    private enum Stage {
        /** Holding no endpoint, or one between stages: give it back. */
        IDLE,
        /** Waiting for the pool: cancel the lease. */
        LEASING,
        /** Connecting: leave it to the connect's end, which gives the endpoint back. */
        CONNECTING,
        /** Sending the request or reading the response: cancel it and close the connection. */
        EXCHANGING
    }

    private final HttpClientContext context = HttpClientContext.create();
    private volatile Future<?> future;
    // Guarded by this.
    private boolean aborted;
    private AsyncExecRuntime runtime;
    private Stage stage = Stage.IDLE;
    /** The lease or the exchange in progress, once its call has returned. */
    private Cancellable inProgress;
    /** The pending lease was cancelled for waiting longer than the connection request timeout. */
    private boolean leaseExpired;

    AbortableExecution() {
        context.setAttribute(ATTRIBUTE, this);
    }

    /** The context to execute with. */
    HttpClientContext context() {
        return context;
    }

    /** Takes the future {@code execute} returned, aborting at once if {@link #abort} came first. */
    void started(Future<?> execution) {
        future = execution;
        boolean abortedFirst;
        synchronized (this) {
            abortedFirst = aborted;
        }
        if (abortedFirst) {
            execution.cancel(true);
        }
    }

    /** Idempotent; harmless once the execution has ended. Never blocks. */
    void abort() {
        Stage abortedIn;
        Cancellable toCancel;
        AsyncExecRuntime held;
        synchronized (this) {
            aborted = true;
            abortedIn = stage;
            toCancel = inProgress;
            held = runtime;
        }
        // Tells the caller at once; the connection is seen to below.
        Future<?> started = future;
        if (started != null) {
            started.cancel(true);
        }
        switch (abortedIn) {
            case IDLE -> giveBack(held);
            case LEASING, EXCHANGING -> {
                // Not recorded yet: the stage's own call cancels it when it returns.
                if (toCancel != null) {
                    toCancel.cancel();
                    if (abortedIn == Stage.EXCHANGING) {
                        held.discardEndpoint();
                    }
                }
            }
            case CONNECTING -> {
                // The connect's end gives the endpoint back.
            }
        }
    }

    private synchronized AsyncExecRuntime guard(AsyncExecRuntime delegate) {
        runtime = delegate;
        return new Runtime(delegate);
    }

    /** Enters the stage unless aborted; a stage ending returns to {@link Stage#IDLE} the same way. */
    private synchronized boolean enter(Stage next) {
        if (aborted) {
            return false;
        }
        stage = next;
        inProgress = null;
        leaseExpired = false;
        return true;
    }

    /** Records the lease or exchange whose call returned, and says whether an abort came meanwhile. */
    private synchronized boolean record(Stage of, Cancellable call) {
        if (stage == of && inProgress == null) {
            inProgress = call;
        }
        return aborted;
    }

    /** Whether the lease whose call returned is still waiting for the pool. */
    private synchronized boolean leasePending(Cancellable lease) {
        return stage == Stage.LEASING && inProgress == lease;
    }

    /** Whether the lease is still pending; if so, it is marked expired, to be cancelled by the caller. */
    private synchronized boolean expire(Cancellable lease) {
        if (stage == Stage.LEASING && inProgress == lease && !aborted) {
            leaseExpired = true;
        }
        return leaseExpired;
    }

    /** Ends the stage; says whether it was a lease that expired. */
    private synchronized boolean stageEnded() {
        boolean expired = leaseExpired;
        stage = Stage.IDLE;
        inProgress = null;
        leaseExpired = false;
        return expired;
    }

    /** Returns the endpoint on which nothing was sent to the pool, or discards it if it has no connection. */
    private static void giveBack(AsyncExecRuntime runtime) {
        if (runtime == null) {
            return;
        }
        if (runtime.isEndpointConnected()) {
            // No deadline of its own: the pool's idle eviction closes it if it stays unused.
            runtime.markConnectionReusable(null, TimeValue.NEG_ONE_MILLISECOND);
            runtime.releaseEndpoint();
        } else {
            runtime.discardEndpoint();
        }
    }

    private static CancellationException abortedError() {
        return new CancellationException("aborted");
    }

    /** The client's runtime for this execution, which stops at the next stage once aborted. */
    private final class Runtime implements AsyncExecRuntime {

        private final AsyncExecRuntime delegate;

        Runtime(AsyncExecRuntime delegate) {
            this.delegate = delegate;
        }

        @Override
        public Cancellable acquireEndpoint(String id, HttpRoute route, Object state, HttpClientContext context,
                FutureCallback<AsyncExecRuntime> callback) {
            if (!enter(Stage.LEASING)) {
                callback.failed(abortedError());
                return () -> false;
            }
            Cancellable lease = delegate.acquireEndpoint(id, route, state, context, new StageCallback(callback));
            if (record(Stage.LEASING, lease)) {
                lease.cancel();
            } else if (leasePending(lease)) {
                // Only for a lease the pool could not grant at once (a full pool): a timer per lease would keep
                // every request's objects alive for the whole timeout.
                Timeout patience = context.getRequestConfigOrDefault().getConnectionRequestTimeout();
                if (Timeout.isPositive(patience)) {
                    // On the JDK's shared delay scheduler thread, like the generations' own deadlines.
                    CompletableFuture.delayedExecutor(patience.toMilliseconds(), TimeUnit.MILLISECONDS, Runnable::run)
                            .execute(() -> {
                                if (expire(lease)) {
                                    lease.cancel();
                                }
                            });
                }
            }
            return lease;
        }

        @Override
        public Cancellable connectEndpoint(HttpClientContext context, FutureCallback<AsyncExecRuntime> callback) {
            if (!enter(Stage.CONNECTING)) {
                giveBack(delegate);
                callback.failed(abortedError());
                return () -> false;
            }
            delegate.connectEndpoint(context, new StageCallback(callback));
            // Never cancelled (see the class comment): an abort waits for the connect's end instead.
            return () -> false;
        }

        @Override
        public Cancellable execute(String id, AsyncClientExchangeHandler exchangeHandler, HttpClientContext context) {
            if (!enter(Stage.EXCHANGING)) {
                giveBack(delegate);
                exchangeHandler.failed(abortedError());
                return () -> false;
            }
            Cancellable exchange = delegate.execute(id, exchangeHandler, context);
            if (record(Stage.EXCHANGING, exchange)) {
                exchange.cancel();
                delegate.discardEndpoint();
            }
            return exchange;
        }

        @Override
        public boolean isEndpointAcquired() {
            return delegate.isEndpointAcquired();
        }

        @Override
        public void releaseEndpoint() {
            delegate.releaseEndpoint();
        }

        @Override
        public void discardEndpoint() {
            delegate.discardEndpoint();
        }

        @Override
        public boolean isEndpointConnected() {
            return delegate.isEndpointConnected();
        }

        @Override
        public void disconnectEndpoint() {
            delegate.disconnectEndpoint();
        }

        @Override
        public void upgradeTls(HttpClientContext context) {
            delegate.upgradeTls(context);
        }

        @Override
        public void upgradeTls(HttpClientContext context, FutureCallback<AsyncExecRuntime> callback) {
            delegate.upgradeTls(context, callback);
        }

        @Override
        public EndpointInfo getEndpointInfo() {
            return delegate.getEndpointInfo();
        }

        @Override
        public boolean validateConnection() {
            return delegate.validateConnection();
        }

        @Override
        public void markConnectionReusable(Object state, TimeValue validDuration) {
            delegate.markConnectionReusable(state, validDuration);
        }

        @Override
        public void markConnectionNonReusable() {
            delegate.markConnectionNonReusable();
        }

        @Override
        public AsyncExecRuntime fork() {
            return delegate.fork();
        }

        /** Ends a lease or a connect: goes on, unless aborted meanwhile, when it gives the endpoint back. */
        private final class StageCallback implements FutureCallback<AsyncExecRuntime> {

            private final FutureCallback<AsyncExecRuntime> next;

            StageCallback(FutureCallback<AsyncExecRuntime> next) {
                this.next = next;
            }

            @Override
            public void completed(AsyncExecRuntime result) {
                if (enter(Stage.IDLE)) {
                    next.completed(Runtime.this);
                } else {
                    giveBack(delegate);
                    next.failed(abortedError());
                }
            }

            @Override
            public void failed(Exception error) {
                stageEnded();
                next.failed(error);
            }

            @Override
            public void cancelled() {
                if (stageEnded()) {
                    next.failed(new ConnectionRequestTimeoutException("no connection free in the pool in time"));
                } else {
                    next.cancelled();
                }
            }
        }
    }
}
