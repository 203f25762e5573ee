package dev.agentruntime.run;

/** This instance already holds as many unfinished runs as it may; callers should retry later (503). */
public final class CapacityExceededException extends AgentException {

    public CapacityExceededException(int limit) {
        super("This instance is at its limit of " + limit + " unfinished runs, try again shortly");
    }
}
