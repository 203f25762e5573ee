package dev.agentruntime.run;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** An ordered list of tool calls; step numbers run from 1. */
@RegisterForReflection
public record Plan(List<PlanStep> steps) {

    public Plan {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }
}
