package dev.agentruntime.planning;

import dev.agentruntime.run.FallbackReason;
import dev.agentruntime.run.PlanningException;
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

    /**
     * The cause of a failed call in a few words a client may read: a status, "connection refused", "timed out".
     * Never the model's address or its answer (which may echo the prompt).
     */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        int status = 0;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // The status the endpoint sent, rather than the one a wrapper's type stands for (5xx is "500").
            if (t instanceof dev.langchain4j.exception.HttpException
                    || t instanceof WebApplicationException web && web.getResponse() != null) {
                return "HTTP " + statusOf(t);
            }
            status = status > 0 ? status : statusOf(t);
            root = t;
        }
        if (status > 0) {
            return "HTTP " + status;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
        }
        return switch (reason(failure)) {
            case TIMEOUT -> "timed out";
            case MODEL_UNREACHABLE -> "connection failed (" + root.getClass().getSimpleName() + ")";
            default -> root.getClass().getSimpleName();
        };
    }

    /**
     * Neither planner could plan the prompt: the rules' refusal, saying first why the model did not plan it, so that a
     * client whose prompt the model would have understood learns that the model was the problem.
     */
    public static PlanningException unplannableAfter(FallbackReason reason, String cause,
                                                     PlanningException refused) {
        String why = switch (reason) {
            case BUDGET_EXHAUSTED -> "the tenant's LLM budget for today is spent";
            case MODEL_UNREACHABLE -> "the model was unreachable (" + cause + ")";
            case TIMEOUT -> "the model did not answer in time (" + cause + ")";
            case RATE_LIMITED -> "the model refused the call for its rate limit (" + cause + ")";
            case MODEL_ERROR -> "the model failed (" + cause + ")";
            case MODEL_REJECTED_REQUEST -> "the model refused the request (" + cause + ")";
            case MODEL_FAILED -> "the model call failed (" + cause + ")";
            default -> "the model's plan was refused (" + reason.wireName() + ")";
        };
        return new PlanningException(refused.reason(), "The LLM planner did not plan this prompt: "
                + why + "; the rule-based planner could not either. " + refused.getMessage());
    }

    /** The call got no answer at all (as opposed to an answer that was not a valid plan). */
    static boolean unanswered(FallbackReason reason) {
        return switch (reason) {
            case TIMEOUT, RATE_LIMITED, MODEL_ERROR, MODEL_UNREACHABLE, MODEL_REJECTED_REQUEST, MODEL_FAILED -> true;
            default -> false;
        };
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
