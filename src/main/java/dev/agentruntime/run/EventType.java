package dev.agentruntime.run;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Locale;

/** The kinds of a run's progress events; the wire name is the SSE event name. Each has one {@link RunEventBody}. */
@RegisterForReflection
public enum EventType {
    RUN_FORKED, RUN_STARTED, STEP_STARTED, STEP_RETRYING, STEP_COMPLETED, STEP_FAILED, STEP_INTERRUPTED,
    APPROVAL_REQUESTED, APPROVAL_GRANTED, APPROVAL_REJECTED, RUN_COMPLETED, RUN_FAILED, RUN_CANCELLED, RUN_REJECTED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The run has ended: nothing follows this event. */
    public boolean terminal() {
        return this == RUN_COMPLETED || this == RUN_FAILED || this == RUN_CANCELLED || this == RUN_REJECTED;
    }

    /** The event that ends a run with {@code status}. */
    public static EventType endOf(RunStatus status) {
        return switch (status) {
            case COMPLETED -> RUN_COMPLETED;
            case FAILED -> RUN_FAILED;
            case CANCELLED -> RUN_CANCELLED;
            case REJECTED -> RUN_REJECTED;
            default -> throw new IllegalArgumentException(status + " is not terminal");
        };
    }

    /** The event of a step that has ended: completed, failed or interrupted. */
    public static EventType ofStep(StepRecord step) {
        return switch (step.status()) {
            case COMPLETED -> STEP_COMPLETED;
            case INTERRUPTED -> STEP_INTERRUPTED;
            default -> STEP_FAILED;
        };
    }

    public static EventType fromWire(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
