package dev.agentruntime.run;

/** A request the API understood but will not accept. {@code status} is 400 or 422. */
public final class InvalidRequestException extends AgentException {

    private final int status;

    private InvalidRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** A malformed request: a bad query parameter or a body that is not JSON (400). */
    public static InvalidRequestException badRequest(String message) {
        return new InvalidRequestException(400, message);
    }

    /** Well-formed but invalid content: a missing or blank prompt, say (422). */
    public static InvalidRequestException unprocessable(String message) {
        return new InvalidRequestException(422, message);
    }

    public int status() {
        return status;
    }
}
