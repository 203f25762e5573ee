package dev.agentruntime.planning;

import dev.agentruntime.observability.AgentMetrics;
import dev.agentruntime.run.PlanningException;
import dev.agentruntime.run.PlanningOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

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
    private final AgentMetrics metrics;

    public PlanningService(RulePlanner rules, PlanValidator validator, LlmPlanner llm, PlannerConfig config,
                           AgentMetrics metrics) {
        this.rules = rules;
        this.validator = validator;
        this.llm = llm;
        this.config = config;
        this.metrics = metrics;
    }

    /** {@code llm} or {@code rules}: the planner new runs use first. */
    public String mode() {
        return config.effectiveMode().name().toLowerCase(Locale.ROOT);
    }

    public Uni<PlanningOutcome> plan(String prompt) {
        Uni<PlanningOutcome> planned = config.effectiveMode() == PlannerConfig.Mode.LLM
                ? llm.plan(prompt)
                : Uni.createFrom().item(() -> PlanningOutcome.byRules(validator.validate(rules.plan(prompt)), null));
        return planned
                .invoke(outcome -> metrics.plannerCall(outcome.planner(), "planned"))
                .onFailure(PlanningException.class).invoke(refused -> metrics.plannerCall(
                        config.effectiveMode() == PlannerConfig.Mode.LLM ? PlanningOutcome.RULES : mode(), "refused"));
    }
}
