package dev.agentruntime.run;

/** The request conflicts with the current state of a run (409): cancelling a run that already ended, say. */
public final class ConflictException extends AgentException {

    public ConflictException(String message) {
        super(message);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.CONFLICT;
    }
}
