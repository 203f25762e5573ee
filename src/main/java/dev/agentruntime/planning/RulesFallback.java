package dev.agentruntime.planning;

import dev.agentruntime.run.FallbackReason;
import dev.agentruntime.observability.AgentMetrics;
import dev.agentruntime.run.PlanningException;
import dev.agentruntime.run.PlanningOutcome;
import dev.agentruntime.run.Usage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.Dependent;
import org.eclipse.microprofile.faulttolerance.ExecutionContext;
import org.eclipse.microprofile.faulttolerance.FallbackHandler;
import org.jboss.logging.Logger;

/** When the LLM planner fails, the rules plan instead and the run records why ({@code fallback_reason}). */
@Dependent
public class RulesFallback implements FallbackHandler<Uni<PlanningOutcome>> {

    private static final Logger LOG = Logger.getLogger(RulesFallback.class);

    private final RulePlanner rules;
    private final PlanValidator validator;
    private final AgentMetrics metrics;

    public RulesFallback(RulePlanner rules, PlanValidator validator, AgentMetrics metrics) {
        this.rules = rules;
        this.validator = validator;
        this.metrics = metrics;
    }

    @Override
    public Uni<PlanningOutcome> handle(ExecutionContext context) {
        // The parameters of LlmPlanner.plan(tenant, prompt).
        String tenant = (String) context.getParameters()[0];
        String prompt = (String) context.getParameters()[1];
        Throwable failure = context.getFailure();
        FallbackReason reason = ModelFailures.reason(failure);
        // The reason and the failure's type only: a model's answer (quoted in parse errors) may echo the prompt.
        LOG.warnf("LLM planner failed (%s, %s), planning by rules", reason.wireName(),
                failure.getClass().getSimpleName());
        metrics.plannerFallback(reason);
        Usage spent = failure instanceof ModelPlanRejected rejected ? rejected.usage() : Usage.NONE;
        return Uni.createFrom().item(() -> {
            try {
                return PlanningOutcome.byRules(validator.validate(rules.plan(prompt), tenant), reason, spent);
            } catch (PlanningException refused) {
                throw ModelFailures.unplannableAfter(reason, ModelFailures.describe(failure), refused);
            }
        });
    }
}
