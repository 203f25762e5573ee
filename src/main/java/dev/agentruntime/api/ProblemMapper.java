package dev.agentruntime.api;

import dev.agentruntime.observability.RedactedFailure;
import dev.agentruntime.run.AgentException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Locale;

/**
 * Every failure becomes problem JSON with the right status, and never a stack trace. The only place where the
 * runtime's kinds of failure meet HTTP statuses.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    /** How a client authenticates: a bearer API key or JWT (X-API-Key works too). */
    static final String CHALLENGE = "Bearer realm=\"agent-runtime\"";

    /** The HTTP face of a kind of failure. */
    private record Face(int status, String slug, String title) {
    }

    @ServerExceptionMapper
    public Response agent(AgentException e) {
        Face face = face(e);
        if (face.status() == 503) {
            LOG.warnf("%s: %s", face.title(), rootMessage(e));
        }
        Problem problem = problem(e);
        Response.ResponseBuilder response = Response.status(face.status()).type(Problem.MEDIA_TYPE).entity(problem);
        e.retryAfter().ifPresent(wait -> response.header("Retry-After", Math.max(1, wait.toSeconds())));
        if (face.status() == 401) {
            response.header("WWW-Authenticate", CHALLENGE);
        }
        if (face.status() == 413) {
            // The rest of the body was not read: the connection cannot carry another request.
            response.header("Connection", "close");
        }
        return response.build();
    }

    /** The problem an error answers with, whichever way it is answered (HTTP, or an MCP tool error). */
    static Problem problem(AgentException e) {
        Face face = face(e);
        Problem problem = Problem.of(face.slug(), face.title(), face.status(), e.getMessage());
        return e.run().map(problem::withRun).orElse(problem);
    }

    private static Face face(AgentException e) {
        return switch (e.kind()) {
            case BAD_REQUEST -> new Face(400, "bad-request", "Bad request");
            case INVALID_REQUEST -> new Face(422, "validation", "Invalid request");
            case UNSUPPORTED_MEDIA_TYPE -> new Face(415, "unsupported-media-type", "Unsupported media type");
            case PAYLOAD_TOO_LARGE -> new Face(413, "payload-too-large", "Payload too large");
            case PLANNING_FAILED -> new Face(422, "planning-failed", "The prompt cannot be planned");
            case TOOL_FAILED -> new Face(422, "tool-failed", "Tool failed");
            case NOT_FOUND -> new Face(404, "not-found", "Not found");
            case CONFLICT -> new Face(409, "conflict", "Conflict");
            case UNAUTHORIZED -> new Face(401, "unauthorized", "Unauthorized");
            case RATE_LIMITED -> new Face(429, "rate-limited", "Too many runs");
            case STORE_UNAVAILABLE -> new Face(503, "store-unavailable", "State store unavailable");
            case CAPACITY_EXCEEDED -> new Face(503, "capacity", "Too many unfinished runs");
            case TOO_MANY_EVENT_STREAMS -> new Face(503, "too-many-event-streams", "Too many event streams");
        };
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String detail = status.getStatusCode() == 404 ? "not found"
                : status.getReasonPhrase().toLowerCase(Locale.ROOT);
        return problem(Problem.of(slug(status.getReasonPhrase()), status.getReasonPhrase(), status.getStatusCode(),
                detail));
    }

    /**
     * A chunked body that grew past the limit: the server has already answered 413 and is closing the connection,
     * so nothing can be written and nothing went wrong here. Anything else that fails while reading is unexpected.
     */
    @ServerExceptionMapper
    public Response reading(java.io.IOException e, io.vertx.core.http.HttpServerRequest request) {
        if (request.response().headWritten()) {
            LOG.debugf("request body refused while reading: %s", e.getMessage());
            return null;
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        // Without messages: an unexpected failure may still quote the request (a prompt is never logged).
        LOG.error("unexpected failure while serving a request", RedactedFailure.of(e));
        return problem(Problem.of("internal", "Internal error", 500,
                "The request failed unexpectedly; the error was logged"));
    }

    private static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String slug(String reason) {
        return reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
