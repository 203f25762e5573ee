package dev.agentruntime.planning;

import jakarta.ws.rs.WebApplicationException;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.function.Predicate;

/** Names why a call to the model failed, as the {@code fallback_reason} of the run and a metric tag. */
public final class ModelFailures {

    private ModelFailures() {
    }

    public static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ModelPlanRejected rejected) {
                return rejected.reason();
            }
            if (t instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                    || t instanceof dev.langchain4j.exception.TimeoutException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.net.SocketTimeoutException) {
                return "timeout";
            }
            int status = statusOf(t);
            if (status == 429) {
                return "rate_limited";
            }
            if (status >= 500) {
                return "model_error";
            }
            if (status >= 400) {
                return "model_rejected_request";
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof UnresolvedAddressException || t instanceof io.netty.channel.ConnectTimeoutException
                    || t instanceof io.vertx.core.http.HttpClosedException) {
                return "model_unreachable";
            }
        }
        // Any other I/O failure (a reset connection, say) is still the network, not the model's answer.
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException) {
                return "model_unreachable";
            }
        }
        return "model_failed";
    }

    private static int statusOf(Throwable t) {
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
            String reason = reason(failure);
            return reason.equals("timeout") || reason.equals("rate_limited") || reason.equals("model_error")
                    || reason.equals("model_unreachable");
        }
    }
}
