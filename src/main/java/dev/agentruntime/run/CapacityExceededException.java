package dev.agentruntime.run;

import java.time.Duration;
import java.util.Optional;

/**
 * This instance already holds as many unfinished runs, or serves as many event streams, as it may; callers should
 * retry later (503).
 */
public final class CapacityExceededException extends AgentException {

    private final ErrorKind kind;

    public CapacityExceededException(int limit) {
        this("This instance is at its limit of " + limit + " unfinished runs, try again shortly",
                ErrorKind.CAPACITY_EXCEEDED);
    }

    private CapacityExceededException(String message, ErrorKind kind) {
        super(message);
        this.kind = kind;
    }

    /** As many event streams are open on this instance as it serves: refused before the stream starts. */
    public static CapacityExceededException eventStreams(int limit) {
        return new CapacityExceededException("This instance serves at most " + limit + " event streams at once and "
                + "all are open; try again shortly (or read the run with GET)", ErrorKind.TOO_MANY_EVENT_STREAMS);
    }

    /** Outages and full queues pass within seconds. */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.of(SHORTLY);
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
