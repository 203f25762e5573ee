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
 * Answers a body over {@code quarkus.http.limits.max-body-size} with a 413 in problem JSON, like every other error:
 * a declared Content-Length is refused before a byte is read, and a 413 a route fails with gets the same body. A
 * chunked body that grows past the limit is cut off by Quarkus REST while it reads, with a bare 413 (see
 * {@link ProblemMapper#reading}).
 */
@ApplicationScoped
public class BodyLimit {

    private final long maxBytes;
    private final String body;

    public BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
                     ObjectMapper mapper) throws JsonProcessingException {
        this.maxBytes = maxBodySize.asLongValue();
        this.body = mapper.writeValueAsString(Problem.of("payload-too-large", "Payload too large", 413,
                "the request body is larger than the limit of " + maxBytes + " bytes"));
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::checkDeclaredLength);
        router.errorHandler(413, this::reject);
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
