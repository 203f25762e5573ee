package dev.agentruntime.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import dev.agentruntime.run.InvalidRequestException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers a body over {@code quarkus.http.limits.max-body-size} with a 413 in problem JSON, like every other error:
 * a declared Content-Length is refused before a byte is read, and a 413 a route fails with gets the same body. The
 * API's resources read their bodies through {@link #read}, which counts a chunked body (it declares no length) as it
 * arrives and refuses it once it grows past the limit: Quarkus REST, reading it, would answer a bare 413 itself.
 */
@ApplicationScoped
public class BodyLimit {

    private final long maxBytes;
    private final String body;

    public BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
                     ObjectMapper mapper) throws JsonProcessingException {
        this.maxBytes = maxBodySize.asLongValue();
        this.body = mapper.writeValueAsString(Problem.of("payload-too-large", "Payload too large", 413, detail()));
    }

    /**
     * The request's body as text, at most the limit; a larger one fails with the 413 problem, without reading the
     * rest (the connection is closed after the answer).
     */
    public Uni<String> read(HttpServerRequest request) {
        return Uni.createFrom().emitter(emitter -> {
            Buffer body = Buffer.buffer();
            AtomicBoolean refused = new AtomicBoolean();
            request.handler(chunk -> {
                if (refused.get()) {
                    return;
                }
                if (body.length() + (long) chunk.length() > maxBytes) {
                    refused.set(true);
                    request.pause();
                    emitter.fail(InvalidRequestException.tooLarge(detail()));
                } else {
                    body.appendBuffer(chunk);
                }
            });
            request.exceptionHandler(failure -> {
                if (refused.compareAndSet(false, true)) {
                    emitter.fail(failure);
                }
            });
            request.endHandler(end -> {
                if (!refused.get()) {
                    emitter.complete(body.toString(StandardCharsets.UTF_8));
                }
            });
            request.resume();
        });
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

    private String detail() {
        return "the request body is larger than the limit of " + maxBytes + " bytes";
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
