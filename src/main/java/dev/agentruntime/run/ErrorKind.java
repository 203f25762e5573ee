package dev.agentruntime.run;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * What kind of failure an {@link AgentException} is, in the domain's words. The API maps each kind to an HTTP status
 * and the audit log names it; neither guesses from class names or messages.
 */
public enum ErrorKind {
    /** Malformed: a bad query parameter, a body that is not JSON. */
    BAD_REQUEST,
    /** Well-formed but invalid content: a missing or blank prompt, say. */
    INVALID_REQUEST,
    /** A body in a format the runtime does not take (only JSON). */
    UNSUPPORTED_MEDIA_TYPE,
    /** A body over the size the service takes. */
    PAYLOAD_TOO_LARGE,
    PLANNING_FAILED,
    NOT_FOUND,
    CONFLICT,
    STORE_UNAVAILABLE,
    CAPACITY_EXCEEDED,
    /** The instance serves as many event streams as it may. */
    TOO_MANY_EVENT_STREAMS,
    UNAUTHORIZED,
    RATE_LIMITED,
    TOOL_FAILED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
