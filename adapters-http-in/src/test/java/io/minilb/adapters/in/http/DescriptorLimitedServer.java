package io.minilb.adapters.in.http;

import static org.mockito.Mockito.mock;

import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.in.ClusterAdminUseCase;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A server for a process started under a low descriptor limit (see {@link DescriptorExhaustionTest}), with the
 * default connection cap. Prints its port, then serves until its standard input closes, so it ends with its parent.
 */
public final class DescriptorLimitedServer {

    private DescriptorLimitedServer() {
    }

    public static void main(String[] args) throws IOException {
        RunningServer server = new RunningServer(new FakeGenerations(), mock(ClusterAdminUseCase.class),
                RunningServer.settings(HttpServerSettings.DEFAULT_REQUEST_READ_TIMEOUT,
                        HttpServerSettings.DEFAULT_MAX_CONNECTIONS, HttpServerSettings.DEFAULT_STREAM_BUFFER_BYTES),
                new MemoryBudget(1 << 20));
        System.out.println(server.port());
        System.out.flush();
        System.in.transferTo(OutputStream.nullOutputStream());
        server.close();
    }
}
