package dev.agentruntime.tools.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.mcp.client.McpCallContext;
import dev.langchain4j.mcp.client.transport.McpOperationHandler;
import dev.langchain4j.mcp.client.transport.McpTransport;
import dev.langchain4j.mcp.protocol.McpClientMessage;
import dev.langchain4j.mcp.protocol.McpInitializationNotification;
import dev.langchain4j.mcp.protocol.McpInitializeRequest;
import org.jboss.logging.Logger;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A local MCP server over stdio, started by the runtime itself rather than by langchain4j-mcp's transport, which
 * hands the child the runtime's whole environment (every tenant's API key with it) and reads each line whole. Here
 * the child gets {@link ChildEnvironment} only, and each message it writes is read with a byte bound
 * ({@link JsonLines}): an answer past it fails its call and is skipped, and the server goes on serving the others.
 * Its stderr is read line by line, each cut, at DEBUG.
 */
final class StdioTransport implements McpTransport {

    private static final Logger LOG = Logger.getLogger(StdioTransport.class);
    /** Of a line the server writes to stderr, this much is logged; the rest is skipped unread. */
    private static final int MAX_STDERR_LINE = 1000;

    private final String server;
    private final List<String> command;
    private final Map<String, String> environment;
    private final int maxMessageBytes;
    private final Logger traffic;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile Process process;
    private volatile OutputStream stdin;
    private volatile McpSession.Dispatcher dispatcher;
    private volatile boolean closed;

    /** @param environment the child's whole environment ({@link ChildEnvironment#of}) */
    StdioTransport(String server, List<String> command, Map<String, String> environment, int maxMessageBytes,
                   Logger traffic) {
        this.server = server;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.maxMessageBytes = maxMessageBytes;
        this.traffic = traffic;
    }

    @Override
    public void start(McpOperationHandler handler) {
        dispatcher = McpSession.Dispatcher.of(handler);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stdin = new BufferedOutputStream(process.getOutputStream());
        reader("stdout", () -> readMessages(process.getInputStream()));
        reader("stderr", () -> readErrors(process.getErrorStream()));
    }

    Optional<Process> process() {
        return Optional.ofNullable(process);
    }

    private void reader(String stream, Runnable body) {
        Thread thread = new Thread(body, "mcp-" + server + "-" + stream);
        thread.setDaemon(true);
        thread.start();
    }

    private void readMessages(InputStream out) {
        JsonLines lines = new JsonLines(out, maxMessageBytes, mapper);
        try {
            JsonLines.Line line;
            while ((line = lines.next()) != null) {
                if (line instanceof JsonLines.Message message) {
                    if (traffic.isDebugEnabled()) {
                        traffic.debugf("< %s", McpResults.cut(message.json().toString()));
                    }
                    dispatch(message.json());
                } else if (line instanceof JsonLines.TooLarge tooLarge) {
                    LOG.warnf("MCP server %s wrote a message of %d bytes, more than AGENT_MCP_MAX_MESSAGE_BYTES (%d): "
                            + "skipped unread%s", server, tooLarge.bytes(), maxMessageBytes, tooLarge.id() == null
                            ? " (it names no request)" : ", and call " + tooLarge.id() + " fails");
                    if (tooLarge.id() != null) {
                        dispatcher.answerTooLarge(tooLarge.id(), tooLarge.bytes(), maxMessageBytes);
                    }
                } else if (line instanceof JsonLines.Malformed malformed) {
                    LOG.debugf("MCP server %s wrote a line that is not JSON, skipped: %s", server, malformed.prefix());
                }
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.debugf("reading from MCP server %s stopped: %s", server, e.getMessage());
            }
        }
    }

    private void dispatch(JsonNode message) {
        try {
            dispatcher.handle(message);
        } catch (RuntimeException e) {
            LOG.warnf("MCP server %s: handling one of its messages failed (%s)", server, e.getClass().getSimpleName());
        }
    }

    private void readErrors(InputStream err) {
        byte[] line = new byte[MAX_STDERR_LINE];
        int length = 0;
        boolean cut = false;
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = err.read(chunk)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        LOG.debugf("MCP server %s (stderr): %s%s", server, new String(line, 0, length,
                                StandardCharsets.UTF_8), cut ? "…" : "");
                        length = 0;
                        cut = false;
                    } else if (length < line.length) {
                        line[length++] = chunk[i];
                    } else {
                        cut = true;
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    @Override
    public CompletableFuture<JsonNode> initialize(McpInitializeRequest request) {
        return executeOperationWithResponse(request).thenApply(answer -> {
            executeOperationWithoutResponse(new McpInitializationNotification());
            return answer;
        });
    }

    @Override
    public CompletableFuture<JsonNode> executeOperationWithResponse(McpClientMessage request) {
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        dispatcher.startOperation(request.getId(), answer);
        try {
            send(request);
        } catch (IOException | RuntimeException e) {
            answer.completeExceptionally(e);
        }
        return answer;
    }

    @Override
    public CompletableFuture<JsonNode> executeOperationWithResponse(McpCallContext context) {
        return executeOperationWithResponse(context.message());
    }

    @Override
    public void executeOperationWithoutResponse(McpClientMessage message) {
        try {
            send(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void executeOperationWithoutResponse(McpCallContext context) {
        executeOperationWithoutResponse(context.message());
    }

    /** One message, one line; a full pipe blocks, so callers are never on the event loop. */
    private void send(McpClientMessage message) throws IOException {
        String line;
        try {
            line = mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        traffic.debugf("> %s", line);
        synchronized (this) {
            stdin.write(line.getBytes(StandardCharsets.UTF_8));
            stdin.write('\n');
            stdin.flush();
        }
    }

    @Override
    public void checkHealth() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("the server's process is not running");
        }
    }

    @Override
    public void onFailure(Runnable actionOnFailure) {
        // McpServerClient watches the process's exit itself.
    }

    @Override
    public void close() {
        closed = true;
        if (process != null) {
            process.destroy();
        }
    }
}
