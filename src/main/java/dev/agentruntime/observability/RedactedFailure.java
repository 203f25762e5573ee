package dev.agentruntime.observability;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A failure as it may be logged: each exception's class and stack trace, never its message. Messages of the
 * runtime's errors quote what they are about (a prompt the planner could not map, an expression, a todo), and a
 * prompt is never logged; where it failed is in the stack trace.
 */
public final class RedactedFailure extends RuntimeException {

    private static final int MAX_CAUSES = 16;

    private RedactedFailure(Throwable original, RedactedFailure cause) {
        super(original.getClass().getName(), cause, false, true);
        setStackTrace(original.getStackTrace());
    }

    /** The failure and its causes (up to 16), messages left out. */
    public static RedactedFailure of(Throwable failure) {
        return redact(failure, new IdentityHashMap<>(), 0);
    }

    private static RedactedFailure redact(Throwable failure, Map<Throwable, Boolean> seen, int depth) {
        Throwable cause = failure.getCause();
        seen.put(failure, Boolean.TRUE);
        RedactedFailure redactedCause = cause == null || seen.containsKey(cause) || depth >= MAX_CAUSES ? null
                : redact(cause, seen, depth + 1);
        return new RedactedFailure(failure, redactedCause);
    }
}
