package dev.agentruntime.run;

/** Missing, unknown, malformed or expired credentials (401). The message never contains the credential. */
public final class UnauthorizedException extends AgentException {

    public UnauthorizedException(String message) {
        super(message);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.UNAUTHORIZED;
    }
}
