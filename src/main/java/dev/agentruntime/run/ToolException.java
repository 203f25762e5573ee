package dev.agentruntime.run;

/**
 * A tool refused or failed a call. Not transient unless it is a {@link TransientToolException}: the executor retries
 * only those (and timeouts), so a calculator syntax error fails at once.
 */
public non-sealed class ToolException extends AgentException {

    public ToolException(String message) {
        super(message);
    }

    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.TOOL_FAILED;
    }
}
