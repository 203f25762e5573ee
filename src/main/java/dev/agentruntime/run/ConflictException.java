package dev.agentruntime.run;

import java.time.Duration;
import java.util.Optional;

/**
 * The request conflicts with the current state of a run (409): cancelling a run that already ended, say. When the
 * conflict is about a run, the run as it is now travels with the error, so the caller sees how it ended.
 */
public final class ConflictException extends AgentException {

    private final transient Run run;
    private final Duration retryAfter;

    public ConflictException(String message) {
        this(message, null, null);
    }

    public ConflictException(String message, Run run) {
        this(message, run, null);
    }

    private ConflictException(String message, Run run, Duration retryAfter) {
        super(message);
        this.run = run;
        this.retryAfter = retryAfter;
    }

    /** A conflict that passes by itself (a run still being created): the caller may retry shortly. */
    public static ConflictException passing(String message) {
        return new ConflictException(message, null, Duration.ofSeconds(1));
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public Optional<Run> run() {
        return Optional.ofNullable(run);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.CONFLICT;
    }
}
