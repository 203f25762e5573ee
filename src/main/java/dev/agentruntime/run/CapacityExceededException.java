package dev.agentruntime.run;

import java.time.Duration;
import java.util.Optional;

/** This instance already holds as many unfinished runs as it may; callers should retry later (503). */
public final class CapacityExceededException extends AgentException {

    public CapacityExceededException(int limit) {
        super("This instance is at its limit of " + limit + " unfinished runs, try again shortly");
    }

    /** Outages and full queues pass within seconds. */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.of(SHORTLY);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.CAPACITY_EXCEEDED;
    }
}
