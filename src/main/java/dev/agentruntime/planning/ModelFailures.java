package dev.agentruntime.planning;

import dev.agentruntime.run.FallbackReason;
import jakarta.ws.rs.WebApplicationException;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.function.Predicate;

/** Names why a call to the model failed, as the {@code fallback_reason} of the run and a metric tag. */
public final class ModelFailures {

    private ModelFailures() {
    }

    public static FallbackReason reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ModelPlanRejected rejected) {
                return FallbackReason.of(rejected.reason());
            }
            if (t instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                    || t instanceof dev.langchain4j.exception.TimeoutException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.net.SocketTimeoutException) {
                return FallbackReason.TIMEOUT;
            }
            int status = statusOf(t);
            if (status == 429) {
                return FallbackReason.RATE_LIMITED;
            }
            if (status >= 500) {
                return FallbackReason.MODEL_ERROR;
            }
            if (status >= 400) {
                return FallbackReason.MODEL_REJECTED_REQUEST;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof UnresolvedAddressException || t instanceof io.netty.channel.ConnectTimeoutException
                    || t instanceof io.vertx.core.http.HttpClosedException) {
                return FallbackReason.MODEL_UNREACHABLE;
            }
        }
        // Any other I/O failure (a reset connection, say) is still the network, not the model's answer.
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException) {
                return FallbackReason.MODEL_UNREACHABLE;
            }
        }
        return FallbackReason.MODEL_FAILED;
    }

    static int statusOf(Throwable t) {
        if (t instanceof dev.langchain4j.exception.HttpException http) {
            return http.statusCode();
        }
        if (t instanceof WebApplicationException web && web.getResponse() != null) {
            return web.getResponse().getStatus();
        }
        if (t instanceof dev.langchain4j.exception.RateLimitException) {
            return 429;
        }
        if (t instanceof dev.langchain4j.exception.InternalServerException) {
            return 500;
        }
        return 0;
    }

    /** Worth another call: the model was slow, overloaded or unreachable. A bad plan or a 4xx is not. */
    public static final class Retriable implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable failure) {
            return reason(failure).retriable();
        }
    }
}
