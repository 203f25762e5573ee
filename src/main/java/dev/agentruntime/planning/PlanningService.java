package dev.agentruntime.planning;

import dev.agentruntime.run.PlanningOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a prompt into a validated plan and says which planner made it. */
@ApplicationScoped
public class PlanningService {

    private final RulePlanner rules;
    private final PlanValidator validator;

    public PlanningService(RulePlanner rules, PlanValidator validator) {
        this.rules = rules;
        this.validator = validator;
    }

    /** Which planner serves new runs: {@code rules} until the LLM planner is configured. */
    public String mode() {
        return PlanningOutcome.RULES;
    }

    public Uni<PlanningOutcome> plan(String prompt) {
        return Uni.createFrom().item(() -> PlanningOutcome.byRules(validator.validate(rules.plan(prompt)), null));
    }
}
