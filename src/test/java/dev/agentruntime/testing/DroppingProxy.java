package dev.agentruntime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A TCP proxy on a free loopback port in front of a server, whose connections a test can cut mid-stream (as a load
 * balancer's idle timeout or a network blip would). It keeps accepting new connections, and records the start of
 * what each client sent (an HTTP request's head), so a test can see how a client came back.
 */
public final class DroppingProxy implements AutoCloseable {

    private static final int HEAD_BYTES = 4096;

    private final ServerSocket listener;
    private final int target;
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    private final List<String> heads = Collections.synchronizedList(new ArrayList<>());

    public DroppingProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** What each client sent first, in the order the connections came. */
    public List<String> requestHeads() {
        synchronized (heads) {
            return List.copyOf(heads);
        }
    }

    /** Cuts every connection open now; new ones are still accepted. */
    public void dropAll() throws IOException {
        synchronized (open) {
            for (Socket socket : open) {
                socket.close();
            }
            open.clear();
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        dropAll();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(server);
                int index;
                synchronized (heads) {
                    heads.add("");
                    index = heads.size() - 1;
                }
                pump(client, server, index);
                pump(server, client, -1);
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Copies one direction; {@code head} >= 0 records the first bytes under that index. */
    private void pump(Socket from, Socket to, int head) {
        Thread copier = new Thread(() -> {
            byte[] buffer = new byte[8192];
            StringBuilder seen = new StringBuilder();
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (head >= 0 && seen.length() < HEAD_BYTES) {
                        seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                        heads.set(head, seen.toString());
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException cut) {
                // dropped by the test, or closed by the other side
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "proxy-pump");
        copier.setDaemon(true);
        copier.start();
    }
}
