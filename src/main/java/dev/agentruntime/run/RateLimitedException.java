package dev.agentruntime.run;

import java.time.Duration;
import java.util.Optional;

/** The tenant started as many runs as it may this minute (429); {@code retryAfterSeconds} until the next window. */
public final class RateLimitedException extends AgentException {

    private final long retryAfterSeconds;

    public RateLimitedException(int perMinute, long retryAfterSeconds) {
        super("at most " + perMinute + " runs per minute may be started; try again in " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.of(Duration.ofSeconds(Math.max(1, retryAfterSeconds)));
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.RATE_LIMITED;
    }
}
