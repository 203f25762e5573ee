package dev.agentruntime.testing;

import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real redis-server for tests, on a free loopback port, with nothing persisted. Uses {@code redis-server} from
 * PATH (Debian's 7.x) and falls back to the binary embedded-redis ships (6.2), so tests need nothing installed.
 * {@link #stop()} and {@link #start()} may be called mid-test to simulate an outage on the same port; the data
 * survives it, as it would on a Redis with persistence.
 */
public final class RedisProcess implements AutoCloseable {

    static {
        // Before this JVM opens its first connection to any Redis (see ClusterPorts).
        ClusterPorts.hold();
    }

    private final int port;
    private final File executable;
    private final java.nio.file.Path dataDir;
    private final String password;
    /** Options beyond the defaults (a cluster node's), given on every start. */
    private final List<String> options;
    private Process process;

    public RedisProcess() throws IOException {
        this(null);
    }

    /** A redis-server that requires {@code password} (requirepass); this class's own commands send it. */
    public RedisProcess(String password) throws IOException {
        this(password, freePort(), List.of());
    }

    /** A redis-server on a port of the test's own (a cluster node's), started with {@code options} as well. */
    public RedisProcess(int port, List<String> options) throws IOException {
        this(null, port, options);
    }

    private RedisProcess(String password, int port, List<String> options) throws IOException {
        this.password = password;
        this.port = port;
        this.options = List.copyOf(options);
        this.executable = findExecutable();
        this.dataDir = java.nio.file.Files.createTempDirectory("redis-test-");
        dataDir.toFile().deleteOnExit();
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The variables that put the app's store on this Redis, with {@code more} (name, value, name, value...). */
    public Map<String, String> appEnvironment(String... more) {
        if (more.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs: " + List.of(more));
        }
        Map<String, String> environment = new HashMap<>(Map.of("AGENT_STORE", "redis", "QUARKUS_REDIS_HOSTS", uri()));
        for (int i = 0; i < more.length; i += 2) {
            environment.put(more[i], more[i + 1]);
        }
        return Map.copyOf(environment);
    }

    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        ClusterPorts.release(port);
        List<String> command = new java.util.ArrayList<>(List.of(executable.getAbsolutePath(), "--port",
                Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode",
                "no", "--dir", dataDir.toString()));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        command.addAll(options);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("redis.log").toFile())
                .start();
        try {
            awaitPing(Duration.ofSeconds(10));
        } catch (IOException notStarted) {
            java.nio.file.Path log = dataDir.resolve("redis.log");
            List<String> lines = java.nio.file.Files.exists(log) ? java.nio.file.Files.readAllLines(log) : List.of();
            throw new IOException(notStarted.getMessage() + "; its log ends with: "
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())), notStarted);
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the server at once (SIGKILL), as a crashed host would: what it had not replicated is lost. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
            process = null;
        }
    }

    /** Stops like an operator would: the data is saved and comes back on {@link #start()}. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            try {
                command("SHUTDOWN", "SAVE");
            } catch (IOException closedAsItShutDown) {
                // redis-server closes the connection instead of answering a SHUTDOWN that succeeds.
            }
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** Sends one command (as a RESP array) and returns the first reply line, e.g. {@code :86399512} for PTTL. */
    public String command(String... words) throws IOException {
        try (Socket socket = connect(2000)) {
            send(socket, words);
            return readLine(socket.getInputStream());
        }
    }

    private Socket connect(int timeoutMs) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        socket.setSoTimeout(timeoutMs);
        if (password != null) {
            send(socket, "AUTH", password);
            String answer = readLine(socket.getInputStream());
            if (!answer.equals("+OK")) {
                socket.close();
                throw new IOException("AUTH refused: " + answer);
            }
        }
        return socket;
    }

    /** What Redis answers a client that sends no password: the first reply line to PING. */
    public String pingWithoutPassword() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            send(socket, "PING");
            return readLine(socket.getInputStream());
        }
    }

    private static void send(Socket socket, String... words) throws IOException {
        StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            request.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                    .append(word).append("\r\n");
        }
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** What {@code MONITOR} saw while it ran: one line per command, those run by scripts marked {@code [… lua]}. */
    public static final class Monitor implements AutoCloseable {
        private final Socket socket;
        private final Thread reader;
        private final List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        private Monitor(Socket socket) throws IOException {
            this.socket = socket;
            send(socket, "MONITOR");
            java.io.DataInputStream in = new java.io.DataInputStream(
                    new java.io.BufferedInputStream(socket.getInputStream()));
            if (!"+OK".equals(readLine(in))) {
                throw new IOException("MONITOR was refused");
            }
            reader = new Thread(() -> {
                try {
                    for (String line = readLine(in); !line.isEmpty() || !socket.isClosed(); line = readLine(in)) {
                        if (line.startsWith("+")) {
                            lines.add(line.substring(1));
                        }
                    }
                } catch (IOException closed) {
                    // close() ends the reading.
                }
            }, "redis-monitor");
            reader.setDaemon(true);
            reader.start();
        }

        public List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Starts watching every command Redis executes, until the monitor is closed. */
    public Monitor monitor() throws IOException {
        return new Monitor(connect(0));
    }

    /** Sends one command and reads its whole reply: a bulk string's text (null when nil). */
    public String bulk(String... words) throws IOException {
        return (String) reply(words);
    }

    /** Sends one command and reads its whole reply: an array, nested arrays flattened, as text. */
    public List<String> array(String... words) throws IOException {
        List<String> flat = new java.util.ArrayList<>();
        flatten(reply(words), flat);
        return flat;
    }

    private static void flatten(Object reply, List<String> into) {
        if (reply instanceof List<?> items) {
            items.forEach(item -> flatten(item, into));
        } else {
            into.add(String.valueOf(reply));
        }
    }

    private Object reply(String... words) throws IOException {
        try (Socket socket = connect(5000)) {
            send(socket, words);
            return read(new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream())));
        }
    }

    /** RESP2: +simple, -error, :integer, $bulk, *array. */
    private static Object read(java.io.DataInputStream in) throws IOException {
        int kind = in.read();
        String line = readLine(in);
        return switch (kind) {
            case '+', ':' -> line;
            case '-' -> throw new IOException("Redis answered an error: " + line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] data = new byte[length];
                in.readFully(data);
                readLine(in);
                yield new String(data, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                List<Object> items = new java.util.ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                yield items;
            }
            default -> throw new IOException("unexpected reply type " + (char) kind);
        };
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private void awaitPing(Duration max) throws IOException {
        Instant deadline = Instant.now().plus(max);
        while (true) {
            try {
                if ("+PONG".equals(command("PING"))) {
                    return;
                }
            } catch (IOException notYet) {
                // A server that exited (a port in use) will not answer: say so now, not after the whole wait.
                if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                    throw new IOException("redis-server did not start on port " + port, notYet);
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
    }

    private static File findExecutable() throws IOException {
        try {
            return ExecutableProvider.newExecutableInPath("redis-server").get();
        } catch (IOException notOnPath) {
            File embedded = ExecutableProvider.newJarResourceProvider().get();
            if (!embedded.canExecute() && !embedded.setExecutable(true)) {
                throw new IOException("cannot make " + embedded + " executable");
            }
            return embedded;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
