package dev.agentruntime.run;

import java.time.Duration;
import java.util.Optional;

/** The tenant started as many runs as it may this minute (429); {@code retryAfterSeconds} until the next window. */
public final class RateLimitedException extends AgentException {

    private final long retryAfterSeconds;

    public RateLimitedException(int perMinute, long retryAfterSeconds) {
        this("at most " + perMinute + " runs per minute may be started; try again in " + retryAfterSeconds + " s",
                retryAfterSeconds);
    }

    private RateLimitedException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The tenant already has as many unfinished runs as it may; one of them has to end first. */
    public static RateLimitedException unfinished(int max) {
        return new RateLimitedException("at most " + max + " runs of one tenant may be queued or running at once; "
                + "wait for one to end (or cancel one) and try again", SHORTLY.toSeconds());
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
