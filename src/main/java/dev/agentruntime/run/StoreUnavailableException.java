package dev.agentruntime.run;

import java.time.Duration;
import java.util.Optional;

/** The state store (Redis) cannot be reached; callers should retry later (503 with Retry-After). */
public final class StoreUnavailableException extends AgentException {

    public StoreUnavailableException(Throwable cause) {
        super("The state store is unavailable, try again shortly", cause);
    }

    /** Outages and full queues pass within seconds. */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.of(SHORTLY);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.STORE_UNAVAILABLE;
    }
}
