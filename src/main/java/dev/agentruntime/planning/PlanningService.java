package dev.agentruntime.planning;

import dev.agentruntime.run.Planner;
import dev.agentruntime.run.FallbackReason;
import dev.agentruntime.observability.AgentMetrics;
import dev.agentruntime.run.PlanningException;
import dev.agentruntime.run.PlanningOutcome;
import dev.agentruntime.limits.TenantLimits;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;


/**
 * Turns a prompt into a validated plan and says which planner made it: the LLM when configured (falling back to
 * the rules on any failure), else the rules directly, with no network call at all.
 */
@ApplicationScoped
public class PlanningService {

    private final RulePlanner rules;
    private final PlanValidator validator;
    private final LlmPlanner llm;
    private final PlannerConfig config;
    private final TenantLimits limits;
    private final AgentMetrics metrics;

    public PlanningService(RulePlanner rules, PlanValidator validator, LlmPlanner llm, PlannerConfig config,
                           TenantLimits limits, AgentMetrics metrics) {
        this.rules = rules;
        this.validator = validator;
        this.llm = llm;
        this.config = config;
        this.limits = limits;
        this.metrics = metrics;
    }

    /** The planner new runs use first. */
    public Planner mode() {
        return config.effectiveMode() == PlannerConfig.Mode.LLM ? Planner.LLM : Planner.RULES;
    }

    /**
     * Plans for {@code tenant}: by the LLM unless the tenant has spent today's LLM budget (then by rules, with
     * {@code fallback_reason: budget_exhausted}); whatever the model reports is added to the tenant's spending.
     */
    public Uni<PlanningOutcome> plan(String tenant, String prompt) {
        Uni<PlanningOutcome> planned = config.effectiveMode() != PlannerConfig.Mode.LLM ? byRules(tenant, prompt, null)
                : limits.budgetExhausted(tenant).flatMap(exhausted -> {
                    if (exhausted) {
                        metrics.plannerFallback(FallbackReason.BUDGET_EXHAUSTED);
                        return byRules(tenant, prompt, FallbackReason.BUDGET_EXHAUSTED);
                    }
                    return llm.plan(tenant, prompt).call(outcome -> limits.spend(tenant, outcome.usage()));
                });
        return planned
                .invoke(outcome -> metrics.plannerCall(outcome.planner(), AgentMetrics.PlanOutcome.PLANNED))
                // Only the rules refuse a prompt: the LLM path falls back to them first.
                .onFailure(PlanningException.class).invoke(refused ->
                        metrics.plannerCall(Planner.RULES, AgentMetrics.PlanOutcome.REFUSED));
    }

    private Uni<PlanningOutcome> byRules(String tenant, String prompt, FallbackReason fallbackReason) {
        return Uni.createFrom().item(() -> PlanningOutcome.byRules(validator.validate(rules.plan(prompt), tenant),
                fallbackReason));
    }
}
