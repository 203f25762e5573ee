package dev.agentruntime.run;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Tokens the planner's model reported for a run and their estimated price. */
@RegisterForReflection
public record Usage(long inputTokens, long outputTokens, double costUsd) {

    public static final Usage NONE = new Usage(0, 0, 0.0);
}
