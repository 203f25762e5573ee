package dev.agentruntime.run;

/** No run with that id is stored: unknown, expired or malformed ids all look the same to a caller. */
public final class RunNotFoundException extends AgentException {

    public RunNotFoundException(String runId) {
        super("Run " + runId + " not found");
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.NOT_FOUND;
    }
}
