package dev.agentruntime.run;

/**
 * A validated plan and how it was made: by which {@code planner}, and, when the rules served although the model was
 * tried, why ({@code fallbackReason}).
 */
public record PlanningOutcome(Plan plan, Planner planner, FallbackReason fallbackReason, Usage usage) {

    public static PlanningOutcome byRules(Plan plan, FallbackReason fallbackReason) {
        return byRules(plan, fallbackReason, Usage.NONE);
    }

    /** {@code spent}: what a model call that was rejected still cost. */
    public static PlanningOutcome byRules(Plan plan, FallbackReason fallbackReason, Usage spent) {
        return new PlanningOutcome(plan, Planner.RULES, fallbackReason, spent);
    }
}
