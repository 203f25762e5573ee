package dev.agentruntime.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.AgentException;
import dev.agentruntime.run.ToolException;
import dev.agentruntime.run.TransientToolException;
import dev.agentruntime.tools.ToolContext;
import dev.agentruntime.tools.ToolRegistry;
import dev.langchain4j.mcp.client.transport.McpTransport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The runtime's one connection to one MCP server: connects (for stdio: starts the process), lists its tools into
 * the {@link ToolRegistry} and lists them again when the server says they changed; when the connection breaks
 * (the process exits, a request cannot be sent) it fails the calls in flight and reconnects with exponential
 * backoff. Calls carry the server's timeout; a call that times out or whose run is cancelled is cancelled on the
 * server too. Each call is measured ({@code agent.mcp.calls}) and traced.
 */
final class McpServerClient {

    private static final Logger LOG = Logger.getLogger(McpServerClient.class);
    /** What a tool name may hold to be plannable as {@code <server>__<tool>}. */
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** Descriptions and schemas go into every planning prompt: a server's essay is cut, a huge schema refused. */
    private static final int MAX_DESCRIPTION_CHARS = 1000;
    private static final int MAX_SCHEMA_CHARS = 16_384;

    private final McpServerSpec spec;
    private final McpConfig config;
    private final ToolRegistry registry;
    private final MeterRegistry meters;
    private final Tracer tracer;
    private final ScheduledExecutorService scheduler;
    private final Function<McpServerSpec, McpTransport> transports;
    private final String clientVersion;
    private final Clock clock;
    private final AtomicLong listings = new AtomicLong();

    private volatile McpSession session;
    private volatile McpServerState state = McpServerState.CONNECTING;
    private volatile Instant since;
    private volatile String lastError;
    private volatile String lastDetail = "";
    private volatile boolean closed;
    private int failures;
    private long appliedListing;
    private Map<String, McpTool> tools = Map.of();
    private List<String> skipped = List.of();

    McpServerClient(McpServerSpec spec, McpConfig config, ToolRegistry registry, MeterRegistry meters,
                    Tracer tracer, ScheduledExecutorService scheduler,
                    Function<McpServerSpec, McpTransport> transports, String clientVersion, Clock clock) {
        this.spec = spec;
        this.config = config;
        this.registry = registry;
        this.meters = meters;
        this.tracer = tracer;
        this.scheduler = scheduler;
        this.transports = transports;
        this.clientVersion = clientVersion;
        this.clock = clock;
        this.since = clock.instant();
        meters.gauge("agent.mcp.server.ready", List.of(io.micrometer.core.instrument.Tag.of("server", spec.name())),
                this, client -> client.state == McpServerState.READY ? 1 : 0);
    }

    McpServerSpec spec() {
        return spec;
    }

    McpServerState state() {
        return state;
    }

    Duration timeout() {
        return spec.timeout().orElse(config.callTimeout());
    }

    /** Connects in the background: an unreachable server never holds up start-up. */
    void start() {
        if (spec.disabled()) {
            moveTo(McpServerState.STOPPED, null);
            return;
        }
        scheduler.execute(this::connect);
    }

    synchronized McpServerStatus status() {
        return new McpServerStatus(spec.name(), spec.transport().wireName(), state.wireName(), since,
                tools.keySet().stream().sorted().toList(), lastError, skipped);
    }

    void close() {
        closed = true;
        McpSession current;
        synchronized (this) {
            current = session;
            session = null;
            tools.keySet().forEach(registry::unregister);
            tools = Map.of();
        }
        moveTo(McpServerState.STOPPED, lastError);
        if (current != null) {
            current.close();
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        McpSession candidate;
        try {
            candidate = new McpSession(spec.name(), transports.apply(spec), this::toolsChanged);
        } catch (RuntimeException e) {
            failed(spec.transport() == McpTransportKind.HTTP ? "cannot reach the server" : "cannot start the server",
                    describe(e));
            return;
        }
        candidate.open(clientVersion)
                .orTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(initialized -> {
                    synchronized (this) {
                        session = candidate;
                    }
                    // Before it is ready, an exit fails the handshake's requests, and the failure below retries.
                    candidate.process().ifPresent(process -> process.onExit().thenRun(() -> {
                        String why = "the server's process exited with code " + process.exitValue();
                        if (!lost(candidate, why)) {
                            candidate.failPending(why);
                        }
                    }));
                    return candidate.listTools();
                })
                .whenComplete((listed, failure) -> {
                    if (failure != null) {
                        synchronized (this) {
                            if (session == candidate) {
                                session = null;
                            }
                        }
                        candidate.close();
                        Throwable cause = McpSession.unwrap(failure);
                        failed(cause instanceof McpSession.ConnectionLost || cause instanceof McpSession.AnswerTooLarge
                                ? cause.getMessage()
                                : cause instanceof TimeoutException ? "no answer to the handshake within "
                                + config.connectTimeout().toMillis() + " ms"
                                : spec.transport() == McpTransportKind.HTTP ? "cannot reach the server"
                                : "cannot start the server", (spec.transport() == McpTransportKind.HTTP
                                ? "cannot reach " + spec.url() : "cannot start '" + spec.command().get(0) + "'")
                                + ": " + describe(cause));
                        return;
                    }
                    synchronized (this) {
                        failures = 0;
                    }
                    apply(listings.incrementAndGet(), listed);
                    moveTo(McpServerState.READY, null);
                    LOG.infof("MCP server %s is ready with %d tools", spec.name(), status().tools().size());
                    if (candidate.process().map(process -> !process.isAlive()).orElse(false)) {
                        lost(candidate, "the server's process exited while its tools were being listed");
                    }
                });
    }

    /** {@code notifications/tools/list_changed}: list again, off the transport's reader thread. */
    private void toolsChanged() {
        scheduler.execute(() -> {
            McpSession current = session;
            if (current == null || closed) {
                return;
            }
            long listing = listings.incrementAndGet();
            current.listTools().whenComplete((listed, failure) -> {
                if (failure != null) {
                    LOG.warnf("MCP server %s said its tools changed, but listing them failed: %s", spec.name(),
                            describe(McpSession.unwrap(failure)));
                } else {
                    apply(listing, listed);
                }
            });
        });
    }

    /**
     * The ready connection broke: fail what is in flight and reconnect. Only the first report about a ready session
     * acts (false otherwise): one that is still connecting fails its handshake instead.
     */
    private boolean lost(McpSession broken, String why) {
        synchronized (this) {
            if (session != broken || state != McpServerState.READY) {
                return false;
            }
            session = null;
        }
        broken.failPending(why);
        broken.close();
        failed(why, why);
        return true;
    }

    /**
     * @param why    what the health listing and the tenants' step errors say: never a command line, path or URL
     * @param detail what the log says
     */
    private void failed(String why, String detail) {
        long delay;
        synchronized (this) {
            long min = config.reconnectMinDelay().toMillis();
            long max = Math.max(min, config.reconnectMaxDelay().toMillis());
            delay = Math.min(max, min << Math.min(failures, 20));
            // Jitter, so instances that lost the same server do not all come back at the same instant.
            delay += ThreadLocalRandom.current().nextLong(delay / 5 + 1);
            failures++;
        }
        boolean news = state != McpServerState.UNAVAILABLE || !why.equals(lastError)
                || !detail.equals(lastDetail);
        lastDetail = detail;
        moveTo(closed ? McpServerState.STOPPED : McpServerState.UNAVAILABLE, why);
        if (!closed) {
            // Once per new problem: a server that stays away does not fill the log.
            LOG.logf(news ? Logger.Level.WARN : Logger.Level.DEBUG, "MCP server %s is unavailable (%s); trying "
                    + "again in %d ms", spec.name(), detail, delay);
            scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Makes the listed tools the server's tools; a listing older than one already applied is dropped. */
    private synchronized void apply(long listing, List<JsonNode> listed) {
        meters.counter("agent.mcp.tool.listings", "server", spec.name()).increment();
        if (listing < appliedListing || closed) {
            return;
        }
        appliedListing = listing;
        Map<String, McpTool> next = new LinkedHashMap<>();
        List<String> notOffered = new ArrayList<>();
        for (JsonNode listedTool : listed) {
            String remote = listedTool.path("name").asText("");
            if (!spec.offers(remote)) {
                continue;
            }
            String problem = problem(remote, listedTool, next.size());
            if (problem != null) {
                notOffered.add(remote + ": " + problem);
                continue;
            }
            JsonNode schema = listedTool.get("inputSchema");
            McpTool tool = new McpTool(this, remote, description(listedTool),
                    schema != null && schema.isObject() ? schema
                            : JsonNodeFactory.instance.objectNode().put("type", "object"));
            try {
                registry.register(tool);
                next.put(tool.name(), tool);
            } catch (RuntimeException e) {
                notOffered.add(remote + ": " + describe(e));
            }
        }
        tools.keySet().stream().filter(name -> !next.containsKey(name)).forEach(registry::unregister);
        tools = Map.copyOf(next);
        skipped = List.copyOf(notOffered);
    }

    private String problem(String remote, JsonNode listedTool, int kept) {
        if (!TOOL_NAME.matcher(remote).matches()) {
            return "a name of 1 to 64 letters, digits, '_', '.' or '-' is needed";
        }
        if (kept >= config.maxToolsPerServer()) {
            return "past agent.mcp.max-tools-per-server (" + config.maxToolsPerServer() + ")";
        }
        JsonNode schema = listedTool.get("inputSchema");
        if (schema != null && schema.toString().length() > MAX_SCHEMA_CHARS) {
            return "its input schema is longer than " + MAX_SCHEMA_CHARS + " characters";
        }
        return null;
    }

    private static String description(JsonNode listedTool) {
        String text = listedTool.path("description").asText(listedTool.path("title").asText(""));
        return text.length() <= MAX_DESCRIPTION_CHARS ? text : text.substring(0, MAX_DESCRIPTION_CHARS) + "…";
    }

    /**
     * One {@code tools/call}: answered, refused, timed out (and cancelled), cancelled, or cut off. The request is
     * written, and its answer handed on, from a worker thread: a stdio pipe is blocking I/O.
     */
    Uni<JsonNode> call(McpTool tool, JsonNode input, ToolContext context) {
        McpSession current = session;
        if (current == null || state != McpServerState.READY) {
            measure(tool, McpCallOutcome.UNAVAILABLE, 0);
            return Uni.createFrom().failure(new TransientToolException("MCP server '" + spec.name()
                    + "' is not connected" + (lastError == null ? "" : " (" + lastError + ")")));
        }
        Duration timeout = timeout();
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            Span span = tracer.spanBuilder("mcp tools/call " + tool.remoteName()).setSpanKind(SpanKind.CLIENT)
                    .setParent(context.trace())
                    .setAttribute("mcp.server", spec.name())
                    .setAttribute("mcp.tool", tool.remoteName())
                    .setAttribute("agent.run_id", String.valueOf(context.runId()))
                    .setAttribute("agent.step_number", context.stepNumber())
                    .startSpan();
            ObjectNode arguments = input instanceof ObjectNode object ? object
                    : JsonNodeFactory.instance.objectNode();
            McpSession.Call call = current.call(tool.remoteName(), arguments);
            return Uni.createFrom().completionStage(call.response())
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .ifNoItem().after(timeout).failWith(TimeoutException::new)
                    .map(response -> McpResults.output(tool.name(), McpSession.result(response, "tools/call")))
                    .onItem().invoke(() -> ended(tool, span, started, McpCallOutcome.OK))
                    .onFailure().transform(failure -> failed(tool, current, call, span, started, timeout,
                            McpSession.unwrap(failure)))
                    .onCancellation().invoke(() -> {
                        cancel(current, call, "the agent runtime stopped the step (its run was cancelled)");
                        ended(tool, span, started, McpCallOutcome.CANCELLED);
                    });
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** A stdio write may block (a full pipe): the notification leaves from a worker, never the event loop. */
    private static void cancel(McpSession session, McpSession.Call call, String reason) {
        Infrastructure.getDefaultWorkerPool().execute(() -> session.cancel(call.id(), reason));
    }

    private Throwable failed(McpTool tool, McpSession current, McpSession.Call call, Span span, long started,
                             Duration timeout, Throwable failure) {
        String name = tool.name();
        if (failure instanceof TimeoutException) {
            cancel(current, call, "timed out after " + timeout.toMillis() + " ms");
            ended(tool, span, started, McpCallOutcome.TIMEOUT);
            String message = "MCP tool '" + name + "' gave no answer within " + timeout.toMillis()
                    + " ms; the call was cancelled on the server";
            return tool.idempotent() ? new TransientToolException(message) : new ToolException(message
                    + " (not called again: it is not among its server's idempotentTools)");
        }
        if (failure instanceof McpSession.AnswerTooLarge tooLarge) {
            // Not retried: the same call would answer the same.
            ended(tool, span, started, McpCallOutcome.TOO_LARGE);
            return new ToolException("MCP tool '" + name + "' failed: " + tooLarge.getMessage());
        }
        if (failure instanceof McpSession.ProtocolError error) {
            ended(tool, span, started, McpCallOutcome.PROTOCOL_ERROR);
            return new ToolException("MCP server '" + spec.name() + "' refused the call to '" + tool.remoteName()
                    + "': " + McpResults.cut(error.getMessage()) + " (JSON-RPC error " + error.code() + ")");
        }
        if (failure instanceof AgentException) {
            ended(tool, span, started, McpCallOutcome.TOOL_ERROR);
            return failure;
        }
        ended(tool, span, started, McpCallOutcome.CONNECTION_LOST);
        // Our own words (a process's exit code) may reach the tenant; a transport's may name a path or URL.
        String why = failure instanceof McpSession.ConnectionLost ? failure.getMessage()
                : "the connection broke";
        if (!(failure instanceof McpSession.ConnectionLost)) {
            LOG.warnf("MCP server %s: a call's connection broke: %s", spec.name(), describe(failure));
        }
        if (spec.transport() == McpTransportKind.HTTP) {
            lost(current, why);
        }
        String message = "the connection to MCP server '" + spec.name() + "' broke during the call: " + why;
        return tool.idempotent() ? new TransientToolException(message, failure)
                : new ToolException(message + "; '" + name + "' is not among its server's idempotentTools, so it "
                + "is not called again (the call may have had its effect)", failure);
    }

    private void ended(McpTool tool, Span span, long started, McpCallOutcome outcome) {
        long elapsed = System.nanoTime() - started;
        measure(tool, outcome, elapsed);
        span.setAttribute("mcp.outcome", outcome.wireName());
        if (outcome != McpCallOutcome.OK) {
            span.setStatus(StatusCode.ERROR, outcome.wireName());
        }
        span.end();
    }

    private void measure(McpTool tool, McpCallOutcome outcome, long nanos) {
        Timer.builder("agent.mcp.calls").description("Calls to MCP tools, by server, tool and outcome")
                .tags("server", spec.name(), "tool", tool.remoteName(), "outcome", outcome.wireName())
                .register(meters).record(nanos, TimeUnit.NANOSECONDS);
    }

    private void moveTo(McpServerState next, String error) {
        synchronized (this) {
            if (state != next) {
                since = clock.instant();
            }
            state = next;
            lastError = error;
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return McpResults.cut(message == null || message.isBlank() ? cause.getClass().getSimpleName() : message);
    }
}
