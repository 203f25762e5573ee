package dev.agentruntime.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.observability.AuditLog;
import dev.agentruntime.run.ErrorKind;
import dev.agentruntime.security.Caller;
import dev.agentruntime.security.Callers;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;

/**
 * In front of the MCP extension's routes ({@code /mcp}, {@code /mcp/sse}, {@code /mcp/messages/{id}}): what the
 * extension does not check for a server that many tenants and any web page can reach.
 * <ul>
 *   <li>before authentication: a page's {@code Origin} ({@link Origins}), 403 in problem JSON; a declared body over
 *       {@code AGENT_MCP_SERVER_MAX_BODY_BYTES}, 413;</li>
 *   <li>after it: the body read with that bound and checked as JSON-RPC ({@link JsonRpcCheck}); sessions counted
 *       per tenant and in all ({@link McpSessions}): a new one past either bound is 429 or 503 with
 *       {@code Retry-After}; an {@code initialize} over {@code AGENT_MCP_SERVER_MAX_SESSION_BYTES}, 413; a session
 *       id that is not the caller's own is 404, as an unknown one; event streams per session bounded.</li>
 * </ul>
 * Missing or invalid credentials are answered 401 in problem JSON without reading the body. None of these refusals is
 * logged (a client's header or body never reaches the log); quota refusals are audited.
 */
@ApplicationScoped
public class McpEdge {

    /** Before authentication (Quarkus runs it at -200, authorization at -100): a foreign page learns nothing. */
    static final int ORIGIN_ORDER = -1000;
    /** After authorization, before the extension's routes (default order). */
    static final int GUARD_ORDER = -50;
    private static final String PATHS = "/mcp(/.*)?";
    private static final String SESSION = "Mcp-Session-Id";
    private static final String MESSAGES = "/mcp/messages/";
    private static final String CLIENT = "mcp";
    private static final long RETRY_AFTER_SECONDS = 60;

    private final McpServerConfig config;
    private final Origins origins;
    private final McpSessions sessions;
    private final Callers callers;
    private final AuditLog audit;
    private final ObjectMapper mapper;
    private final JsonRpcCheck jsonRpc;

    public McpEdge(McpServerConfig config, Origins origins, McpSessions sessions, Callers callers, AuditLog audit,
                   ObjectMapper mapper) {
        check(config);
        this.config = config;
        this.origins = origins;
        this.sessions = sessions;
        this.callers = callers;
        this.audit = audit;
        this.mapper = mapper;
        this.jsonRpc = new JsonRpcCheck(mapper);
    }

    private static void check(McpServerConfig config) {
        atLeastOne("AGENT_MCP_SERVER_MAX_SESSIONS", config.maxSessions());
        atLeastOne("AGENT_MCP_SERVER_MAX_SESSIONS_PER_TENANT", config.maxSessionsPerTenant());
        atLeastOne("AGENT_MCP_SERVER_MAX_STREAMS_PER_SESSION", config.maxStreamsPerSession());
        if (config.maxSessionBytes() < 1024 || config.maxBodyBytes() < config.maxSessionBytes()) {
            throw new ConfigurationException("AGENT_MCP_SERVER_MAX_SESSION_BYTES must be at least 1024 and at most "
                    + "AGENT_MCP_SERVER_MAX_BODY_BYTES, not " + config.maxSessionBytes() + " (bodies: "
                    + config.maxBodyBytes() + ")");
        }
        if (config.sessionIdleTimeout().compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigurationException("AGENT_MCP_SERVER_SESSION_IDLE_TIMEOUT must be at least 1s, not "
                    + config.sessionIdleTimeout() + " (0 would keep idle sessions for ever)");
        }
    }

    private static void atLeastOne(String variable, int value) {
        if (value < 1) {
            throw new ConfigurationException(variable + " must be at least 1, not " + value);
        }
    }

    void install(@Observes Router router) {
        router.routeWithRegex(PATHS).order(ORIGIN_ORDER).handler(this::beforeAuthentication);
        router.routeWithRegex(PATHS).order(GUARD_ORDER)
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(this::afterAuthentication)
                .failureHandler(this::authenticationFailed);
    }

    /**
     * Missing (refused by {@code McpAccessPolicy}) or invalid credentials: 401 in problem JSON with the API's
     * challenge. The extension's handler for them parsed the (unauthenticated) body as a JSON object: any other body
     * left the request unanswered and logged an ERROR, and its message named the exception class.
     */
    private void authenticationFailed(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (!(failure instanceof AuthenticationException || failure instanceof UnauthorizedException)) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", ProblemMapper.CHALLENGE)
                .putHeader(HttpHeaders.CONNECTION, "close");
        problem(ctx, 401, "unauthorized", "Unauthorized", failure instanceof AuthenticationFailedException
                && failure.getMessage() != null ? failure.getMessage() : "the credentials are missing or not valid");
    }

    private void beforeAuthentication(RoutingContext ctx) {
        if (!origins.mayCallMcp(ctx.request().getHeader(HttpHeaders.ORIGIN))) {
            problem(ctx, 403, "forbidden-origin", "Forbidden origin", "pages of this origin may not call the MCP "
                    + "endpoint (allowed: localhost pages and AGENT_HTTP_ALLOWED_ORIGINS)");
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredOver(length, config.maxBodyBytes())) {
            tooLarge(ctx, "a request to the MCP endpoint may have at most " + config.maxBodyBytes() + " bytes "
                    + "(AGENT_MCP_SERVER_MAX_BODY_BYTES)");
            return;
        }
        ctx.next();
    }

    private void afterAuthentication(RoutingContext ctx) {
        callers.of(ctx).subscribe().with(caller -> {
            if (caller.isEmpty()) {
                // Anonymous with authentication on: McpAccessPolicy has refused it before this; nothing to guard.
                ctx.next();
            } else {
                route(ctx, caller.get());
            }
        }, ctx::fail);
    }

    private void route(RoutingContext ctx, Caller caller) {
        String path = ctx.normalizedPath();
        HttpMethod method = ctx.request().method();
        String tenant = caller.tenant();
        if (path.equals("/mcp") || path.equals("/mcp/")) {
            String session = ctx.request().getHeader(SESSION);
            if (method == HttpMethod.POST) {
                post(ctx, caller, session);
            } else if (session == null || !(method == HttpMethod.GET || method == HttpMethod.DELETE)) {
                ctx.next();
            } else if (!sessions.owns(tenant, session)) {
                noSuchSession(ctx);
            } else if (method == HttpMethod.GET) {
                stream(ctx, session);
            } else {
                ctx.next();
            }
        } else if (path.equals("/mcp/sse") && method == HttpMethod.GET) {
            McpSessions.Attempt attempt = sessions.open(tenant, true);
            if (refused(ctx, caller, attempt)) {
                return;
            }
            ctx.addEndHandler(ended -> sessions.release(attempt.reservation()));
            ctx.next();
        } else if (path.startsWith(MESSAGES) && method == HttpMethod.POST) {
            JsonRpcCheck.Checked checked = checked(ctx);
            if (checked == null) {
                return;
            }
            if (!sessions.ownsLegacy(tenant, path.substring(MESSAGES.length()))) {
                noSuchSession(ctx);
            } else if (checked.initialize() && initializeTooLarge(ctx)) {
                return;
            } else {
                ctx.next();
            }
        } else {
            ctx.next();
        }
    }

    /** {@code POST /mcp}: a message of an existing session, or the {@code initialize} that opens one. */
    private void post(RoutingContext ctx, Caller caller, String session) {
        String accept = String.join(",", ctx.request().headers().getAll(HttpHeaders.ACCEPT));
        if (!accept.contains("application/json") || !accept.contains("text/event-stream")) {
            problem(ctx, 406, "not-acceptable", "Not acceptable", "an MCP client must accept both application/json "
                    + "and text/event-stream (Accept)");
            return;
        }
        JsonRpcCheck.Checked checked = checked(ctx);
        if (checked == null) {
            return;
        }
        if (session != null) {
            if (sessions.owns(caller.tenant(), session)) {
                ctx.next();
            } else {
                noSuchSession(ctx);
            }
            return;
        }
        if (!checked.initialize()) {
            // Not a session: the extension answers that the first message must be initialize.
            ctx.next();
            return;
        }
        if (initializeTooLarge(ctx)) {
            return;
        }
        McpSessions.Attempt attempt = sessions.open(caller.tenant(), false);
        if (refused(ctx, caller, attempt)) {
            return;
        }
        ctx.addHeadersEndHandler(headers -> sessions.opened(attempt.reservation(),
                ctx.response().headers().get(SESSION)));
        ctx.addEndHandler(ended -> sessions.release(attempt.reservation()));
        ctx.next();
    }

    /** {@code GET /mcp}: one more event stream of the caller's session, if it has room. */
    private void stream(RoutingContext ctx, String session) {
        if (!sessions.openStream(session)) {
            problem(ctx, 429, "too-many-streams", "Too many streams", "this MCP session already has "
                    + config.maxStreamsPerSession() + " event streams open (AGENT_MCP_SERVER_MAX_STREAMS_PER_SESSION)",
                    RETRY_AFTER_SECONDS);
            return;
        }
        ctx.addEndHandler(ended -> sessions.closeStream(session));
        ctx.next();
    }

    /** The body checked as JSON-RPC; null when it was refused (and answered). */
    private JsonRpcCheck.Checked checked(RoutingContext ctx) {
        byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        JsonRpcCheck.Checked checked = jsonRpc.check(body);
        if (checked.refusal() == null) {
            return checked;
        }
        ctx.response().setStatusCode(checked.refusal().status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(checked.refusal().body().toString());
        return null;
    }

    private boolean initializeTooLarge(RoutingContext ctx) {
        if (ctx.body().length() <= config.maxSessionBytes()) {
            return false;
        }
        tooLarge(ctx, "an initialize request may have at most " + config.maxSessionBytes() + " bytes: a session "
                + "keeps what it says of its client (AGENT_MCP_SERVER_MAX_SESSION_BYTES)");
        return true;
    }

    private boolean refused(RoutingContext ctx, Caller caller, McpSessions.Attempt attempt) {
        if (attempt.refusal() == null) {
            return false;
        }
        boolean tenantFull = attempt.refusal() == McpSessions.Refusal.TENANT_FULL;
        audit.refused(caller.tenant(), null, "mcp_session", tenantFull ? ErrorKind.RATE_LIMITED
                : ErrorKind.CAPACITY_EXCEEDED, AuditLog.clientOf(ctx.request()));
        if (tenantFull) {
            problem(ctx, 429, "rate-limited", "Too many MCP sessions", "tenant '" + caller.tenant() + "' has "
                    + config.maxSessionsPerTenant() + " MCP sessions open, the most one tenant may "
                    + "(AGENT_MCP_SERVER_MAX_SESSIONS_PER_TENANT): end one (DELETE /mcp with its Mcp-Session-Id) or "
                    + "wait until one idles out (after " + config.sessionIdleTimeout().toSeconds() + " s)",
                    RETRY_AFTER_SECONDS);
        } else {
            problem(ctx, 503, "capacity", "Too many MCP sessions", "the MCP server has " + config.maxSessions()
                    + " sessions open, the most it keeps (AGENT_MCP_SERVER_MAX_SESSIONS); try again later",
                    RETRY_AFTER_SECONDS);
        }
        return true;
    }

    private void noSuchSession(RoutingContext ctx) {
        problem(ctx, 404, "not-found", "Not found", "no such MCP session (it ended, or was never opened): "
                + "initialize a new one");
    }

    private void tooLarge(RoutingContext ctx, String detail) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        problem(ctx, 413, "payload-too-large", "Payload too large", detail);
    }

    private void problem(RoutingContext ctx, int status, String slug, String title, String detail) {
        problem(ctx, status, slug, title, detail, 0);
    }

    private void problem(RoutingContext ctx, int status, String slug, String title, String detail, long retryAfter) {
        String body;
        try {
            body = mapper.writeValueAsString(Problem.of(slug, title, status, detail));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
            return;
        }
        if (retryAfter > 0) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(body);
    }

    private static boolean declaredOver(String length, long max) {
        try {
            return Long.parseLong(length.strip()) > max;
        } catch (NumberFormatException malformed) {
            return false;
        }
    }
}
