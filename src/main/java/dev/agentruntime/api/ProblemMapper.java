package dev.agentruntime.api;

import dev.agentruntime.run.AgentException;
import dev.agentruntime.run.CapacityExceededException;
import dev.agentruntime.run.ConflictException;
import dev.agentruntime.run.InvalidRequestException;
import dev.agentruntime.run.PlanningException;
import dev.agentruntime.run.RateLimitedException;
import dev.agentruntime.run.RunNotFoundException;
import dev.agentruntime.run.StoreUnavailableException;
import dev.agentruntime.run.ToolException;
import dev.agentruntime.run.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure becomes problem JSON with the right status, and never a stack trace. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    /** How a client authenticates: a bearer API key or JWT (X-API-Key works too). */
    static final String CHALLENGE = "Bearer realm=\"agent-runtime\"";

    /** Seconds a client should wait before trying again after a 503. */
    static final int RETRY_AFTER_SECONDS = 2;

    @ServerExceptionMapper
    public Response agent(AgentException e) {
        if (e instanceof InvalidRequestException invalid) {
            String title = invalid.status() == 400 ? "Bad request" : "Invalid request";
            return problem(Problem.of(invalid.status() == 400 ? "bad-request" : "validation", title,
                    invalid.status(), e.getMessage()));
        }
        if (e instanceof PlanningException) {
            return problem(Problem.of("planning-failed", "The prompt cannot be planned", 422, e.getMessage()));
        }
        if (e instanceof RunNotFoundException) {
            return problem(Problem.of("not-found", "Not found", 404, e.getMessage()));
        }
        if (e instanceof ConflictException) {
            return problem(Problem.of("conflict", "Conflict", 409, e.getMessage()));
        }
        if (e instanceof StoreUnavailableException) {
            LOG.warnf("state store unavailable: %s", rootMessage(e));
            return unavailable(Problem.of("store-unavailable", "State store unavailable", 503, e.getMessage()));
        }
        if (e instanceof CapacityExceededException) {
            return unavailable(Problem.of("capacity", "Too many unfinished runs", 503, e.getMessage()));
        }
        if (e instanceof UnauthorizedException) {
            return Response.status(401).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of("unauthorized", "Unauthorized", 401, e.getMessage()))
                    .header("WWW-Authenticate", CHALLENGE).build();
        }
        if (e instanceof RateLimitedException limited) {
            return Response.status(429).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of("rate-limited", "Too many runs", 429, e.getMessage()))
                    .header("Retry-After", Math.max(1, limited.retryAfterSeconds())).build();
        }
        if (e instanceof ToolException) {
            return problem(Problem.of("tool-failed", "Tool failed", 422, e.getMessage()));
        }
        return internal(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String detail = status.getStatusCode() == 404 ? "not found"
                : status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT);
        return problem(Problem.of(slug(status.getReasonPhrase()), status.getReasonPhrase(), status.getStatusCode(),
                detail));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return internal(e);
    }

    static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static Response unavailable(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem)
                .header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    private static Response internal(Throwable e) {
        LOG.error("unexpected failure while serving a request", e);
        return problem(Problem.of("internal", "Internal error", 500,
                "The request failed unexpectedly; the error was logged"));
    }

    private static String slug(String reason) {
        return reason.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
