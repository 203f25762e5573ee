package dev.agentruntime.run;

/**
 * The runtime's own failures. Sealed, so the API's exception mapper and the executor's retry policy read the same
 * small set of facts instead of guessing from messages.
 */
public abstract sealed class AgentException extends RuntimeException
        permits InvalidRequestException, PlanningException, RunNotFoundException, StoreUnavailableException,
        ToolException, ConflictException, CapacityExceededException, UnauthorizedException, RateLimitedException {

    protected AgentException(String message) {
        super(message);
    }

    protected AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
