package dev.agentruntime.planning;

import dev.agentruntime.run.PlanProblem;
import dev.agentruntime.run.Usage;

/**
 * The model answered, but not with a valid plan. Carries what was wrong with it and the tokens the answer cost, so
 * the fallback can still account for them.
 * Never retried: asking the same model the same thing again rarely helps and doubles the bill.
 */
public class ModelPlanRejected extends RuntimeException {

    private final PlanProblem reason;
    private final Usage usage;

    public ModelPlanRejected(PlanProblem reason, String message, Usage usage) {
        super(message);
        this.reason = reason;
        this.usage = usage;
    }

    public PlanProblem reason() {
        return reason;
    }

    public Usage usage() {
        return usage;
    }
}
