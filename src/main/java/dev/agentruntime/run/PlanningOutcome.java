package dev.agentruntime.run;

/**
 * A validated plan and how it was made: by which {@code planner}, and, when the rules served although the model was
 * tried, why ({@code fallbackReason}). {@code cacheKey} names the plan cache's entry for a model's plan (null when
 * the cache is off); {@code cached} says the plan came from it, at no cost.
 */
public record PlanningOutcome(Plan plan, Planner planner, FallbackReason fallbackReason, Usage usage, boolean cached,
                              String cacheKey) {

    public PlanningOutcome(Plan plan, Planner planner, FallbackReason fallbackReason, Usage usage) {
        this(plan, planner, fallbackReason, usage, false, null);
    }

    /** The same outcome, tied to the plan cache's entry {@code key}. */
    public PlanningOutcome withCacheKey(String key, boolean fromCache) {
        return new PlanningOutcome(plan, planner, fallbackReason, fromCache ? Usage.NONE : usage, fromCache, key);
    }

    public static PlanningOutcome byRules(Plan plan, FallbackReason fallbackReason) {
        return byRules(plan, fallbackReason, Usage.NONE);
    }

    /** {@code spent}: what a model call that was rejected still cost. */
    public static PlanningOutcome byRules(Plan plan, FallbackReason fallbackReason, Usage spent) {
        return new PlanningOutcome(plan, Planner.RULES, fallbackReason, spent);
    }
}
