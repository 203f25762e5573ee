package dev.agentruntime.run;

/**
 * A validated plan and how it was made: {@code planner} is {@code llm} or {@code rules}; {@code fallbackReason}
 * says why the rules served when the model was tried.
 */
public record PlanningOutcome(Plan plan, String planner, String fallbackReason, Usage usage) {

    public static final String RULES = "rules";
    public static final String LLM = "llm";

    public static PlanningOutcome byRules(Plan plan, String fallbackReason) {
        return new PlanningOutcome(plan, RULES, fallbackReason, Usage.NONE);
    }
}
