package dev.agentruntime.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The real MCP servers the tests start, from the repository's pinned {@code package.json} ({@code npm ci} installs
 * them into {@code node_modules}): never a mock of MCP.
 */
public final class McpPeers {

    private McpPeers() {
    }

    /** The executable {@code node_modules/.bin/<name>}; fails with what to do when it is not installed. */
    public static Path bin(String name) {
        Path bin = Path.of("node_modules", ".bin", name).toAbsolutePath();
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(bin + " is missing: run 'npm ci' in the repository (Node 20+) to install "
                    + "the MCP servers the tests start");
        }
        return bin;
    }

    /** The running process (a descendant of this JVM) whose command line holds every one of {@code parts}. */
    public static Optional<ProcessHandle> process(List<String> parts) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).filter(process -> {
            String line = process.info().commandLine().orElse("");
            return parts.stream().allMatch(line::contains);
        }).findFirst();
    }

    /**
     * server-everything serving Streamable HTTP at {@code http://127.0.0.1:<port>/mcp}, once it accepts
     * connections. Its output goes to {@code target/<name>.log}.
     */
    public static Process everythingOverHttp(int port, String name) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(bin("mcp-server-everything").toString(), "streamableHttp")
                .redirectErrorStream(true).redirectOutput(new File("target/" + name + ".log"));
        builder.environment().put("PORT", Integer.toString(port));
        return listening(builder.start(), port, name);
    }

    private static Process listening(Process process, int port, String name) throws IOException,
            InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the MCP server exited: see target/" + name + ".log");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return process;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the MCP server did not listen on port " + port + " within 30 s");
    }

    /** {@code src/test/resources/mcp/huge-answer-server.js}: a dependency-free MCP server that answers huge. */
    public static Path hugeAnswerServer() {
        return Path.of("src", "test", "resources", "mcp", "huge-answer-server.js").toAbsolutePath();
    }

    /** The huge-answer server over Streamable HTTP at {@code http://127.0.0.1:<port>/mcp}, once it listens. */
    public static Process hugeAnswersOverHttp(int port, String name) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("node", hugeAnswerServer().toString(), "http", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(new File("target/" + name + ".log")).start();
        return listening(process, port, name);
    }

    /** Stops a server and whatever it started. */
    public static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
    }

    public static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
