package dev.agentruntime.run;

/** A request the runtime understood but will not accept: malformed ({@link ErrorKind#BAD_REQUEST}) or invalid. */
public final class InvalidRequestException extends AgentException {

    private final ErrorKind kind;

    private InvalidRequestException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** A malformed request: a bad query parameter or a body that is not JSON. */
    public static InvalidRequestException badRequest(String message) {
        return new InvalidRequestException(ErrorKind.BAD_REQUEST, message);
    }

    /** A body in another format than JSON. */
    public static InvalidRequestException unsupportedMediaType(String message) {
        return new InvalidRequestException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, message);
    }

    /** A body larger than the service takes. */
    public static InvalidRequestException tooLarge(String message) {
        return new InvalidRequestException(ErrorKind.PAYLOAD_TOO_LARGE, message);
    }

    /** Well-formed but invalid content: a missing or blank prompt, say. */
    public static InvalidRequestException unprocessable(String message) {
        return new InvalidRequestException(ErrorKind.INVALID_REQUEST, message);
    }

    @Override
    public ErrorKind kind() {
        return kind;
    }
}
