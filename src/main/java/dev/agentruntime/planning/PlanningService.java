package dev.agentruntime.planning;

import dev.agentruntime.run.Planner;
import dev.agentruntime.run.FallbackReason;
import dev.agentruntime.observability.AgentMetrics;
import dev.agentruntime.run.PlanningException;
import dev.agentruntime.run.PlanningOutcome;
import dev.agentruntime.limits.TenantLimits;
import io.smallrye.mutiny.Uni;
import dev.agentruntime.planning.cache.PlanCache;
import dev.agentruntime.planning.cache.PlanCacheKeys;
import dev.agentruntime.run.Plan;
import dev.agentruntime.run.Usage;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;


/**
 * Turns a prompt into a validated plan and says which planner made it: the LLM when configured (falling back to
 * the rules on any failure), else the rules directly, with no network call at all.
 */
@ApplicationScoped
public class PlanningService {

    private static final Logger LOG = Logger.getLogger(PlanningService.class);

    private final RulePlanner rules;
    private final PlanValidator validator;
    private final LlmPlanner llm;
    private final PlannerConfig config;
    private final TenantLimits limits;
    private final AgentMetrics metrics;
    private final PlanCache cache;
    private final PlanningPrompt instructions;
    private final PlanningModel model;

    public PlanningService(RulePlanner rules, PlanValidator validator, LlmPlanner llm, PlannerConfig config,
                           TenantLimits limits, AgentMetrics metrics, PlanCache cache, PlanningPrompt instructions,
                           PlanningModel model) {
        this.rules = rules;
        this.validator = validator;
        this.llm = llm;
        this.config = config;
        this.limits = limits;
        this.metrics = metrics;
        this.cache = cache;
        this.instructions = instructions;
        this.model = model;
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
                : config.cacheTtl().isEmpty() ? byModel(tenant, prompt, null)
                : cached(tenant, prompt, PlanCacheKeys.of(tenant, prompt, instructions.instructions(tenant),
                        model.endpoint()));
        return planned
                .invoke(outcome -> metrics.plannerCall(outcome.planner(), AgentMetrics.PlanOutcome.PLANNED))
                // Only the rules refuse a prompt: the LLM path falls back to them first.
                .onFailure(PlanningException.class).invoke(refused ->
                        metrics.plannerCall(Planner.RULES, AgentMetrics.PlanOutcome.REFUSED));
    }

    /**
     * A cached plan, still valid for today's registry, costs nothing; otherwise the model plans, and a plan it made
     * (not the rules' fallback) is kept for next time once its run is accepted ({@link #remember}). A cache that
     * cannot be reached is a miss, never an error.
     */
    private Uni<PlanningOutcome> cached(String tenant, String prompt, String key) {
        return cache.find(key).onFailure().recoverWithItem(Optional.empty())
                .flatMap(hit -> {
                    Optional<Plan> valid = hit.flatMap(plan -> stillValid(plan, tenant, key));
                    if (valid.isPresent()) {
                        metrics.planCache(AgentMetrics.CacheEvent.HIT);
                        return Uni.createFrom().item(new PlanningOutcome(valid.get(), Planner.LLM, null, Usage.NONE)
                                .withCacheKey(key, true));
                    }
                    metrics.planCache(AgentMetrics.CacheEvent.MISS);
                    return byModel(tenant, prompt, key);
                });
    }

    private Optional<Plan> stillValid(Plan plan, String tenant, String key) {
        try {
            return Optional.of(validator.validate(plan, tenant));
        } catch (PlanningException stale) {
            forget(key);
            return Optional.empty();
        }
    }

    private Uni<PlanningOutcome> byModel(String tenant, String prompt, String cacheKey) {
        return limits.budgetExhausted(tenant).flatMap(exhausted -> {
            if (exhausted) {
                metrics.plannerFallback(FallbackReason.BUDGET_EXHAUSTED);
                return byRules(tenant, prompt, FallbackReason.BUDGET_EXHAUSTED);
            }
            Uni<PlanningOutcome> outcome = llm.plan(tenant, prompt).call(made -> limits.spend(tenant, made.usage()));
            // Kept once the run is accepted (see remember): a refused request leaves no entry behind.
            return cacheKey == null ? outcome
                    : outcome.map(made -> made.planner() == Planner.LLM ? made.withCacheKey(cacheKey, false) : made);
        });
    }

    /**
     * Keeps a plan the model made for next time, once its run has been accepted: a refused request (the store nearly
     * full, the queue full) writes no cache entry. A cache that cannot be written is no error: the next identical
     * request asks the model again.
     */
    public Uni<Void> remember(PlanningOutcome outcome) {
        if (outcome.cacheKey() == null || outcome.cached() || outcome.planner() != Planner.LLM) {
            return Uni.createFrom().voidItem();
        }
        return cache.put(outcome.cacheKey(), outcome.plan()).onFailure().recoverWithItem(failure -> {
            LOG.debugf("could not keep the plan %s: %s", outcome.cacheKey(), failure.getMessage());
            return null;
        });
    }

    /**
     * Drops a cached plan that failed because of the plan itself (a step's input refused, a reference that does not
     * resolve): the next identical request asks the model again.
     */
    public void forget(String cacheKey) {
        if (cacheKey == null) {
            return;
        }
        cache.evict(cacheKey).subscribe().with(evicted -> {
            if (evicted) {
                metrics.planCache(AgentMetrics.CacheEvent.EVICTION);
            }
        }, failure -> LOG.warnf("could not drop cached plan %s: %s", cacheKey, failure.getMessage()));
    }

    private Uni<PlanningOutcome> byRules(String tenant, String prompt, FallbackReason fallbackReason) {
        return Uni.createFrom().item(() -> {
            try {
                return PlanningOutcome.byRules(validator.validate(rules.plan(prompt), tenant), fallbackReason);
            } catch (PlanningException refused) {
                throw fallbackReason == null ? refused : ModelFailures.unplannableAfter(fallbackReason, "", refused);
            }
        });
    }
}
