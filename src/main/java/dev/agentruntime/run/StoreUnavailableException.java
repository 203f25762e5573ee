package dev.agentruntime.run;

import java.time.Duration;
import java.util.Optional;

/** The state store (Redis) cannot be reached; callers should retry later (503 with Retry-After). */
public final class StoreUnavailableException extends AgentException {

    /** Memory frees as runs expire or when an operator acts: minutes, not seconds. */
    private static final Duration WHEN_FULL = Duration.ofSeconds(30);

    private final boolean full;

    public StoreUnavailableException(Throwable cause) {
        this("The state store is unavailable, try again shortly", cause, false);
    }

    private StoreUnavailableException(String message, Throwable cause, boolean full) {
        super(message, cause);
        this.full = full;
    }

    /** Redis refuses writes because it is at its {@code maxmemory} (policy {@code noeviction}); nothing was written. */
    public static StoreUnavailableException outOfMemory(Throwable cause) {
        return new StoreUnavailableException("The state store is full (Redis is at its maxmemory and refuses "
                + "writes); nothing was written, try again later", cause, true);
    }

    /** Redis is so near its {@code maxmemory} that a new run might not be able to finish: it is not accepted. */
    public static StoreUnavailableException nearlyFull(long used, long max) {
        return new StoreUnavailableException("The state store is nearly full (Redis uses " + used + " of its "
                + "maxmemory " + max + " bytes): new runs wait so that accepted ones can finish; nothing was written, "
                + "try again later", null, true);
    }

    /** Outages and full queues pass within seconds; a full Redis takes longer. */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.of(full ? WHEN_FULL : SHORTLY);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.STORE_UNAVAILABLE;
    }
}
