package dev.agentruntime.run;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Locale;

/**
 * Why the rules planned a run although the model was configured: the run's {@code fallback_reason} and a metric tag.
 * {@link #retriable()} says whether calling the model again could help.
 */
@RegisterForReflection
public enum FallbackReason {
    BUDGET_EXHAUSTED(false),
    TIMEOUT(true),
    RATE_LIMITED(true),
    MODEL_ERROR(true),
    MODEL_UNREACHABLE(true),
    MODEL_REJECTED_REQUEST(false),
    MODEL_FAILED(false),
    MALFORMED_JSON(false),
    EMPTY_PLAN(false),
    TOO_MANY_STEPS(false),
    INVALID_PLAN(false),
    UNKNOWN_TOOL(false),
    INVALID_INPUT(false),
    INVALID_REFERENCE(false);

    private final boolean retriable;

    FallbackReason(boolean retriable) {
        this.retriable = retriable;
    }

    /** The model was slow, overloaded or unreachable: another call may succeed. A bad plan or a 4xx will not. */
    public boolean retriable() {
        return retriable;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The model's plan had this problem. */
    public static FallbackReason of(PlanProblem problem) {
        return switch (problem) {
            case UNPLANNABLE -> MODEL_FAILED;
            case MALFORMED_JSON -> MALFORMED_JSON;
            case EMPTY_PLAN -> EMPTY_PLAN;
            case TOO_MANY_STEPS -> TOO_MANY_STEPS;
            case INVALID_PLAN -> INVALID_PLAN;
            case UNKNOWN_TOOL -> UNKNOWN_TOOL;
            case INVALID_INPUT -> INVALID_INPUT;
            case INVALID_REFERENCE -> INVALID_REFERENCE;
        };
    }
}
