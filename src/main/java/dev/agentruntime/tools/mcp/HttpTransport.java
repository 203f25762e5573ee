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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A remote MCP server over Streamable HTTP. Each answer is read with a byte bound, whether it comes as a JSON body or
 * as an event stream: past it, the exchange is cut off (the HTTP session stays) and the call fails saying so,
 * where langchain4j-mcp's transport read any body whole into one string. A server that forgot the session (404) gets
 * a new one, once per request, as that transport did.
 */
final class HttpTransport implements McpTransport {

    private static final Logger LOG = Logger.getLogger(HttpTransport.class);
    private static final String SESSION = "Mcp-Session-Id";

    private final String server;
    private final URI url;
    private final Map<String, String> headers;
    private final int maxMessageBytes;
    private final Logger traffic;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile McpSession.Dispatcher dispatcher;
    private volatile McpInitializeRequest initializeRequest;
    private volatile String session;
    private CompletableFuture<JsonNode> initializing = CompletableFuture.completedFuture(null);

    HttpTransport(String server, URI url, Map<String, String> headers, Duration connectTimeout, int maxMessageBytes,
                  Logger traffic) {
        this.server = server;
        this.url = url;
        this.headers = Map.copyOf(headers);
        this.maxMessageBytes = maxMessageBytes;
        this.traffic = traffic;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    @Override
    public void start(McpOperationHandler handler) {
        dispatcher = McpSession.Dispatcher.of(handler);
    }

    @Override
    public CompletableFuture<JsonNode> initialize(McpInitializeRequest request) {
        CompletableFuture<JsonNode> initialized;
        synchronized (this) {
            initializeRequest = request;
            session = null;
            initialized = send(request, true).thenCompose(answer -> send(new McpInitializationNotification(), true)
                    .thenApply(ignored -> answer));
            initializing = initialized;
        }
        return initialized;
    }

    /** A new session for one that the server forgot, unless another request already made one. */
    private synchronized CompletableFuture<JsonNode> renew(String forgotten) {
        if (!Objects.equals(session, forgotten) || !initializing.isDone()) {
            return initializing;
        }
        LOG.debugf("MCP server %s forgot its session: a new one is made", server);
        return initialize(initializeRequest);
    }

    @Override
    public CompletableFuture<JsonNode> executeOperationWithResponse(McpClientMessage request) {
        CompletableFuture<JsonNode> ready;
        synchronized (this) {
            ready = initializing;
        }
        return ready.handle((initialized, failure) -> null).thenCompose(ignored -> send(request, false));
    }

    @Override
    public CompletableFuture<JsonNode> executeOperationWithResponse(McpCallContext context) {
        return executeOperationWithResponse(context.message());
    }

    @Override
    public void executeOperationWithoutResponse(McpClientMessage message) {
        send(message, true).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.debugf("MCP server %s: a notification was not delivered: %s", server, failure.getMessage());
            }
        });
    }

    @Override
    public void executeOperationWithoutResponse(McpCallContext context) {
        executeOperationWithoutResponse(context.message());
    }

    /**
     * Posts one message; completes with its answer (null for a notification).
     *
     * @param last true when a forgotten session is not worth another try (the handshake, a notification, a retry)
     */
    private CompletableFuture<JsonNode> send(McpClientMessage message, boolean last) {
        Long id = message.getId();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        if (id != null) {
            dispatcher.startOperation(id, answer);
        }
        String body;
        try {
            body = mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            fail(id, answer, e);
            return answer;
        }
        traffic.debugf("> %s", body);
        String sessionOfRequest = message instanceof McpInitializeRequest ? null : session;
        HttpRequest.Builder request = HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream");
        if (sessionOfRequest != null) {
            request.header(SESSION, sessionOfRequest);
        }
        headers.forEach(request::header);
        http.sendAsync(request.build(), info -> {
            int status = info.statusCode();
            if (status == 404 && sessionOfRequest != null && !last) {
                renew(sessionOfRequest).thenCompose(renewed -> send(message, true))
                        .whenComplete((again, failure) -> {
                            if (failure != null) {
                                answer.completeExceptionally(failure);
                            } else {
                                answer.complete(again);
                            }
                        });
                return HttpResponse.BodySubscribers.discarding();
            }
            if (status < 200 || status >= 300) {
                fail(id, answer, new IOException("the server answered HTTP " + status));
                return HttpResponse.BodySubscribers.discarding();
            }
            info.headers().firstValue(SESSION).ifPresent(assigned -> session = assigned);
            if (id == null) {
                answer.complete(null);
                return HttpResponse.BodySubscribers.discarding();
            }
            boolean stream = info.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT)
                    .contains("text/event-stream");
            Answer reader = new Answer(id, answer, stream);
            answer.whenComplete((done, failure) -> reader.stop());
            return reader;
        }).whenComplete((response, failure) -> {
            if (failure != null) {
                fail(id, answer, failure);
            }
        });
        return answer;
    }

    private void fail(Long id, CompletableFuture<JsonNode> answer, Throwable failure) {
        if (id != null) {
            dispatcher.fail(id, failure);
        }
        answer.completeExceptionally(failure);
    }

    @Override
    public void checkHealth() {
        // nothing to check between requests
    }

    @Override
    public void onFailure(Runnable actionOnFailure) {
        // McpServerClient reconnects when a call's connection breaks.
    }

    @Override
    public void close() {
        // JDK 17's HttpClient has no close; its connections idle out.
    }

    /**
     * The body of one request's answer, read with the byte bound: one JSON message, or an event stream whose every
     * event is one message (progress, logs, then the answer). Past the bound the exchange is cut off.
     */
    private final class Answer implements HttpResponse.BodySubscriber<Void> {
        private final long id;
        private final CompletableFuture<JsonNode> answer;
        private final boolean stream;
        private final CompletableFuture<Void> body = new CompletableFuture<>();
        /** The JSON body, or the event stream's line under way. */
        private final Bytes line = new Bytes(maxMessageBytes + 16);
        /** The event stream's event under way: its data lines. */
        private final Bytes data = new Bytes(maxMessageBytes);
        private volatile Flow.Subscription subscription;
        private long received;

        Answer(long id, CompletableFuture<JsonNode> answer, boolean stream) {
            this.id = id;
            this.answer = answer;
            this.stream = stream;
        }

        void stop() {
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
            body.complete(null);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (answer.isDone()) {
                stop();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                received += item.remaining();
                while (item.hasRemaining() && !body.isDone()) {
                    byte next = item.get();
                    boolean kept = stream && next == '\n' ? endOfLine() : line.add(next);
                    if (!kept) {
                        tooLarge();
                    }
                }
            }
            if (!body.isDone()) {
                subscription.request(1);
            }
        }

        /** A {@code data:} line gathers into the event, a blank line delivers it; other fields do not matter. */
        private boolean endOfLine() {
            int end = line.length > 0 && line.bytes[line.length - 1] == '\r' ? line.length - 1 : line.length;
            boolean kept = true;
            if (end == 0) {
                if (data.length > 0) {
                    read(data);
                }
                data.reset();
            } else if (line.startsWith("data:")) {
                int value = end > 5 && line.bytes[5] == ' ' ? 6 : 5;
                kept = (data.length == 0 || data.add((byte) '\n')) && data.add(line.bytes, value, end);
            }
            line.reset();
            return kept;
        }

        private void read(Bytes message) {
            JsonNode json;
            try {
                json = mapper.readTree(message.bytes, 0, message.length);
            } catch (IOException notJson) {
                LOG.debugf("MCP server %s sent a message that is not JSON, skipped: %s", server,
                        JsonLines.prefix(message.bytes, message.length));
                return;
            }
            if (traffic.isDebugEnabled()) {
                traffic.debugf("< %s", McpResults.cut(json.toString()));
            }
            try {
                dispatcher.handle(json);
            } catch (RuntimeException e) {
                LOG.warnf("MCP server %s: handling one of its messages failed (%s)", server,
                        e.getClass().getSimpleName());
            }
        }

        private void tooLarge() {
            LOG.warnf("MCP server %s answered call %d with more than AGENT_MCP_MAX_MESSAGE_BYTES (%d bytes): the "
                    + "answer was cut off unread", server, id, maxMessageBytes);
            line.reset();
            data.reset();
            dispatcher.answerTooLarge(id, received, maxMessageBytes);
            stop();
        }

        @Override
        public void onError(Throwable failure) {
            if (!answer.isDone()) {
                fail(id, answer, failure);
            }
            body.complete(null);
        }

        @Override
        public void onComplete() {
            if (!stream && line.length > 0) {
                read(line);
            }
            if (!answer.isDone()) {
                fail(id, answer, new McpSession.ConnectionLost("the server ended its answer without answering"));
            }
            body.complete(null);
        }

        @Override
        public CompletionStage<Void> getBody() {
            return body;
        }
    }

    /** Bytes gathered up to a bound; a large buffer is not kept once emptied. */
    private static final class Bytes {
        private final int max;
        private byte[] bytes = new byte[256];
        private int length;

        Bytes(int max) {
            this.max = max;
        }

        boolean add(byte next) {
            if (length >= max) {
                return false;
            }
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(max, bytes.length * 2L));
            }
            bytes[length++] = next;
            return true;
        }

        boolean add(byte[] from, int start, int end) {
            for (int i = start; i < end; i++) {
                if (!add(from[i])) {
                    return false;
                }
            }
            return true;
        }

        boolean startsWith(String prefix) {
            if (length < prefix.length()) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (bytes[i] != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        void reset() {
            length = 0;
            if (bytes.length > 64 * 1024) {
                bytes = new byte[256];
            }
        }
    }
}
