package dev.agentruntime.run;

/**
 * The prompt cannot be turned into a valid plan, or a plan failed validation; {@code reason} says which problem,
 * for metrics and the run's {@code fallback_reason}.
 */
public final class PlanningException extends AgentException {

    private final PlanProblem reason;

    public PlanningException(PlanProblem reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PlanProblem reason() {
        return reason;
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.PLANNING_FAILED;
    }
}
