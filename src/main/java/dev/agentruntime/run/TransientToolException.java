package dev.agentruntime.run;

/** A failure that may go away on its own (a dependency down, a race): worth another attempt. */
public class TransientToolException extends ToolException {

    public TransientToolException(String message) {
        super(message);
    }

    public TransientToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
