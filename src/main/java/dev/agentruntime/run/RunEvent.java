package dev.agentruntime.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/**
 * One entry of a run's progress: {@code id} orders the events of a run and resumes a stream ({@code Last-Event-ID});
 * {@code type} is the SSE event name; {@code data} its JSON payload.
 */
public record RunEvent(String id, String type, JsonNode data) {

    public static final String RUN_STARTED = "run_started";
    public static final String STEP_STARTED = "step_started";
    public static final String STEP_RETRYING = "step_retrying";
    public static final String STEP_COMPLETED = "step_completed";
    public static final String STEP_FAILED = "step_failed";
    public static final String RUN_COMPLETED = "run_completed";
    public static final String RUN_FAILED = "run_failed";
    public static final String RUN_CANCELLED = "run_cancelled";

    private static final Set<String> TERMINAL = Set.of(RUN_COMPLETED, RUN_FAILED, RUN_CANCELLED);

    public boolean isTerminal() {
        return TERMINAL.contains(type);
    }

    public static String terminalTypeOf(RunStatus status) {
        return switch (status) {
            case COMPLETED -> RUN_COMPLETED;
            case FAILED -> RUN_FAILED;
            case CANCELLED -> RUN_CANCELLED;
            default -> throw new IllegalArgumentException(status + " is not terminal");
        };
    }
}
