package dev.agentruntime.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a body over {@code quarkus.http.limits.max-body-size} with a 413 in problem JSON, like every other error.
 * A declared Content-Length is refused before a byte is read; a chunked body that grows past the limit is
 * stopped by Quarkus, and its 413 gets the same body here. A URL the router cannot decode gets its 400 the same way.
 */
@ApplicationScoped
public class BodyLimit {

    private final long maxBytes;
    private final String body;
    private final String malformed;

    public BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
                     ObjectMapper mapper) throws JsonProcessingException {
        this.maxBytes = maxBodySize.asLongValue();
        this.body = mapper.writeValueAsString(Problem.of("payload-too-large", "Payload too large", 413,
                "the request body is larger than the limit of " + maxBytes + " bytes"));
        this.malformed = mapper.writeValueAsString(Problem.of("bad-request", "Bad request", 400,
                "the request URL is malformed (a '%' must be followed by two hexadecimal digits)"));
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::checkDeclaredLength);
        router.errorHandler(413, this::reject);
        // A URL that cannot be decoded fails in the router, before any resource: answer it like every other 400.
        router.errorHandler(400, this::refuseMalformed);
    }

    private void refuseMalformed(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(malformed);
    }

    private void checkDeclaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && isOver(length)) {
            reject(ctx);
        } else {
            ctx.next();
        }
    }

    private boolean isOver(String length) {
        try {
            return Long.parseLong(length.strip()) > maxBytes;
        } catch (NumberFormatException malformed) {
            return false;
        }
    }

    private void reject(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
