package dev.agentruntime.run;

import java.time.Duration;
import java.util.Optional;

/**
 * The runtime's own failures. Sealed, so the API's exception mapper and the executor's retry policy read the same
 * small set of facts instead of guessing from messages.
 */
public abstract sealed class AgentException extends RuntimeException
        permits InvalidRequestException, PlanningException, RunNotFoundException, StoreUnavailableException,
        ToolException, ConflictException, CapacityExceededException, UnauthorizedException, RateLimitedException {

    /** What kind of failure this is; the API's status and the audit outcome follow from it. */
    public abstract ErrorKind kind();

    /** The run the failure is about, as it is now, when the caller should see it (a 409 on an ended run). */
    public Optional<Run> run() {
        return Optional.empty();
    }

    /** How long a caller should wait before trying again, when waiting can help. */
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    /** What "try again shortly" means: long enough for a Redis failover or a queue to drain a little. */
    protected static final Duration SHORTLY = Duration.ofSeconds(2);

    protected AgentException(String message) {
        super(message);
    }

    protected AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
