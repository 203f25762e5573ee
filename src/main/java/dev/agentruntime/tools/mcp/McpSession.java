package dev.agentruntime.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.mcp.client.transport.McpOperationHandler;
import dev.langchain4j.mcp.client.transport.McpTransport;
import dev.langchain4j.mcp.protocol.McpCallToolRequest;
import dev.langchain4j.mcp.protocol.McpCancellationNotification;
import dev.langchain4j.mcp.protocol.McpImplementation;
import dev.langchain4j.mcp.protocol.McpInitializeParams;
import dev.langchain4j.mcp.protocol.McpInitializeRequest;
import dev.langchain4j.mcp.protocol.McpListToolsRequest;
import dev.langchain4j.mcp.protocol.McpPingResponse;
import dev.langchain4j.mcp.protocol.McpRootsListResponse;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One MCP session with one server over a transport ({@link StdioTransport}, {@link HttpTransport}, or any of
 * langchain4j-mcp's that is handed a {@link Dispatcher}): the handshake, {@code tools/list} with its pages,
 * {@code tools/call} and {@code notifications/cancelled}. Answers stay raw JSON, so a tool's input schema and
 * structured content reach the runtime unchanged. Everything is asynchronous; the transport's reader thread
 * completes the futures.
 */
final class McpSession implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(McpSession.class);
    /** Supports {@code structuredContent}; a server may answer with an older version it supports. */
    static final String PROTOCOL_VERSION = "2025-06-18";
    /** A server that pages its tool list without end is cut here. */
    private static final int MAX_PAGES = 50;

    private final String server;
    private final McpTransport transport;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1);
    private final Dispatcher handler;

    /** @param onToolsChanged called on the transport's thread when the server says its tool list changed */
    McpSession(String server, McpTransport transport, Runnable onToolsChanged) {
        this.server = server;
        this.transport = transport;
        this.handler = new Dispatcher(server, pending, transport, onToolsChanged);
    }

    /** Starts the transport (for stdio: the process) and completes with the server's {@code initialize} result. */
    CompletableFuture<JsonNode> open(String clientVersion) {
        try {
            transport.start(handler);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        McpInitializeRequest request = new McpInitializeRequest(ids.getAndIncrement());
        McpInitializeParams params = new McpInitializeParams();
        params.setProtocolVersion(PROTOCOL_VERSION);
        params.setClientInfo(new McpImplementation("agent-runtime", clientVersion));
        // Roots (none) are declared because some servers offer tools only to clients that have them.
        McpInitializeParams.Capabilities capabilities = new McpInitializeParams.Capabilities();
        McpInitializeParams.Capabilities.Roots roots = new McpInitializeParams.Capabilities.Roots();
        roots.setListChanged(true);
        capabilities.setRoots(roots);
        params.setCapabilities(capabilities);
        request.setParams(params);
        return transport.initialize(request).thenApply(response -> result(response, "initialize"));
    }

    /** The server's process, for a stdio server: its exit ends the session. */
    Optional<Process> process() {
        return transport instanceof StdioTransport stdio ? stdio.process() : Optional.empty();
    }

    /** Every tool the server lists, following {@code nextCursor}, as the raw tool objects. */
    CompletableFuture<List<JsonNode>> listTools() {
        return listTools(null, new ArrayList<>(), 0);
    }

    private CompletableFuture<List<JsonNode>> listTools(String cursor, List<JsonNode> tools, int page) {
        McpListToolsRequest request = new McpListToolsRequest(ids.getAndIncrement());
        if (cursor != null) {
            request.setCursor(cursor);
        }
        return transport.executeOperationWithResponse(request).thenCompose(response -> {
            JsonNode result = result(response, "tools/list");
            result.path("tools").forEach(tools::add);
            JsonNode next = result.path("nextCursor");
            if (next.isTextual() && !next.textValue().isEmpty() && page + 1 < MAX_PAGES) {
                return listTools(next.textValue(), tools, page + 1);
            }
            return CompletableFuture.completedFuture(tools);
        });
    }

    /** Sends {@code tools/call}; the answer is the whole JSON-RPC response ({@code result} or {@code error}). */
    Call call(String tool, ObjectNode arguments) {
        long id = ids.getAndIncrement();
        return new Call(id, transport.executeOperationWithResponse(new McpCallToolRequest(id, tool, arguments)));
    }

    /** Tells the server to stop working on call {@code id}; its late answer, if any, is dropped. */
    void cancel(long id, String reason) {
        pending.remove(id);
        try {
            transport.executeOperationWithoutResponse(new McpCancellationNotification(id, reason));
        } catch (RuntimeException e) {
            LOG.debugf(e, "could not send the cancellation of call %d to MCP server %s", id, server);
        }
    }

    /** Fails every call still waiting for an answer: the connection is gone. */
    void failPending(String why) {
        pending.values().forEach(future -> future.completeExceptionally(new ConnectionLost(why)));
        pending.clear();
    }

    @Override
    public void close() {
        failPending("the session was closed");
        // Closing the stdio transport destroys the process, but not what that process started (npx → node).
        process().ifPresent(process -> process.descendants().forEach(ProcessHandle::destroy));
        try {
            transport.close();
        } catch (IOException | RuntimeException e) {
            LOG.debugf(e, "closing the transport of MCP server %s", server);
        }
    }

    /** The {@code result} member, or a {@link ProtocolError} for a JSON-RPC {@code error}. */
    static JsonNode result(JsonNode response, String method) {
        if (response == null) {
            throw new ProtocolError(method + " got no answer", 0);
        }
        JsonNode error = response.get("error");
        if (error != null && !error.isNull()) {
            throw new ProtocolError(error.path("message").asText("no message"), error.path("code").asInt());
        }
        JsonNode result = response.get("result");
        if (result == null || !result.isObject()) {
            throw new ProtocolError(method + " answered without a result object", 0);
        }
        return result;
    }

    /** The cause a failed future carries, without the CompletionException wrapper. */
    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    record Call(long id, CompletableFuture<JsonNode> response) {
    }

    /** A JSON-RPC error answer: the server understood the request and refused it. */
    static final class ProtocolError extends RuntimeException {
        private final int code;

        ProtocolError(String message, int code) {
            super(message);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    /** The server's answer was larger than {@code agent.mcp.max-message-bytes}: it was dropped unread. */
    static final class AnswerTooLarge extends RuntimeException {
        AnswerTooLarge(long bytes, long max) {
            super("the answer has " + (bytes > max ? bytes + " bytes" : "more than " + max + " bytes") + ", more "
                    + "than the " + max + " an MCP message may have (AGENT_MCP_MAX_MESSAGE_BYTES); it was dropped "
                    + "unread");
        }
    }

    /**
     * Hands each message from the server to where it belongs: an answer to its call, a ping or roots request
     * answered, a tool-list change reported, a log notification logged at DEBUG. Unlike langchain4j's handler it
     * never logs a message whole: only its kind, id and a short prefix of what the server said.
     */
    static final class Dispatcher extends McpOperationHandler {
        private final String server;
        private final Map<Long, CompletableFuture<JsonNode>> pending;
        private final McpTransport transport;
        private final Runnable onToolsChanged;

        Dispatcher(String server, Map<Long, CompletableFuture<JsonNode>> pending, McpTransport transport,
                   Runnable onToolsChanged) {
            super(pending, List::of, transport, null, onToolsChanged);
            this.server = server;
            this.pending = pending;
            this.transport = transport;
            this.onToolsChanged = onToolsChanged;
        }

        /** The dispatcher a transport was started with; our transports need one. */
        static Dispatcher of(McpOperationHandler handler) {
            if (handler instanceof Dispatcher dispatcher) {
                return dispatcher;
            }
            throw new IllegalArgumentException("the runtime's MCP transports are started by an McpSession");
        }

        @Override
        public void handle(JsonNode message) {
            JsonNode id = message.get("id");
            String method = message.path("method").asText("");
            if (id != null && (message.has("result") || message.has("error"))) {
                CompletableFuture<JsonNode> call = pending.remove(id.asLong());
                if (call != null) {
                    call.complete(message);
                } else {
                    LOG.debugf("MCP server %s answered request %s, which no one waits for (cancelled or timed out)",
                            server, McpResults.cut(id.toString()));
                }
            } else if (id != null && method.equals("ping")) {
                transport.executeOperationWithoutResponse(new McpPingResponse(id.asLong()));
            } else if (id != null && method.equals("roots/list")) {
                transport.executeOperationWithoutResponse(new McpRootsListResponse(id.asLong(), List.of()));
            } else if (method.equals("notifications/tools/list_changed")) {
                onToolsChanged.run();
            } else if (method.equals("notifications/message")) {
                if (LOG.isDebugEnabled()) {
                    JsonNode params = message.path("params");
                    LOG.debugf("MCP server %s logs [%s] %s", server, McpResults.cut(params.path("level").asText()),
                            McpResults.cut(params.path("data").toString()));
                }
            } else {
                LOG.debugf("MCP server %s sent %s%s, which this client does not handle", server,
                        method.isEmpty() ? "a message without a method" : McpResults.cut(method),
                        id == null ? "" : " (request " + McpResults.cut(id.toString()) + ")");
            }
        }

        /** The answer to call {@code id} was too large to read: the call fails with that. */
        void answerTooLarge(long id, long bytes, long max) {
            fail(id, new AnswerTooLarge(bytes, max));
        }

        /** Call {@code id} cannot be answered any more. */
        void fail(long id, Throwable why) {
            CompletableFuture<JsonNode> call = pending.remove(id);
            if (call != null) {
                call.completeExceptionally(why);
            }
        }
    }

    /** The connection went away before the answer came. */
    static final class ConnectionLost extends RuntimeException {
        ConnectionLost(String message) {
            super(message);
        }
    }
}
