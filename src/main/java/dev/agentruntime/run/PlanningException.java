package dev.agentruntime.run;

/**
 * The prompt cannot be turned into a valid plan (answered 422), or a plan failed validation. {@code reason} is a
 * stable code ({@code unplannable}, {@code unknown_tool}, {@code invalid_input}, …) that metrics and
 * {@code fallback_reason} use.
 */
public final class PlanningException extends AgentException {

    private final String reason;

    public PlanningException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
