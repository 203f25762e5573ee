package dev.agentruntime.run;

/** The state store (Redis) cannot be reached; callers should retry later (503 with Retry-After). */
public final class StoreUnavailableException extends AgentException {

    public StoreUnavailableException(Throwable cause) {
        super("The state store is unavailable, try again shortly", cause);
    }
}
