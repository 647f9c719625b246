package io.minilb.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A TCP relay in front of a server that can be frozen: from then on it still accepts connections and reads what
 * arrives, but relays nothing either way, as a server that hangs or a network that drops packets without a reset.
 */
final class FreezableProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final Queue<Socket> sockets = new ConcurrentLinkedQueue<>();
    private volatile boolean frozen;

    FreezableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        daemon("proxy-accept", this::acceptAll);
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    void freeze() {
        frozen = true;
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                if (frozen) {
                    daemon("proxy-swallow", () -> relay(client, OutputStream.nullOutputStream()));
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(server);
                daemon("proxy-up", () -> relay(client, outputOf(server)));
                daemon("proxy-down", () -> relay(server, outputOf(client)));
            } catch (IOException e) {
                // closed, or the target refused: the client's connection stays unanswered either way
            }
        }
    }

    /** Copies {@code from} to {@code to} until either closes; once frozen, the bytes are read and dropped. */
    private void relay(Socket from, OutputStream to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (!frozen) {
                    to.write(buffer, 0, read);
                    to.flush();
                }
            }
        } catch (IOException e) {
            // one side closed
        }
    }

    private static OutputStream outputOf(Socket socket) {
        try {
            return socket.getOutputStream();
        } catch (IOException e) {
            return OutputStream.nullOutputStream();
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
