package dev.agentruntime.planning;

import dev.agentruntime.run.Planner;
import dev.agentruntime.run.FallbackReason;
import dev.agentruntime.run.PlanProblem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.observability.AgentMetrics;
import dev.agentruntime.run.Plan;
import dev.agentruntime.run.PlanningException;
import dev.agentruntime.run.PlanningOutcome;
import dev.agentruntime.run.Usage;
import dev.langchain4j.model.output.TokenUsage;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Plans with the model. The answer must be a valid plan by the same {@link PlanValidator} as the rules' plans;
 * anything else (unreachable, 4xx/5xx/429, slow, malformed, unknown tool, bad input, too long, empty) ends in
 * {@link RulesFallback}, which plans by rules and records why. Timeout and retry values are defaults that
 * {@code agent.planner.*} overrides (application.properties); langchain4j's own retries are off so they do not stack.
 */
@ApplicationScoped
public class LlmPlanner {

    private static final Logger LOG = Logger.getLogger(LlmPlanner.class);
    /** More tokens than any model's context holds (the largest are ~10 million): a count past it is not true. */
    static final int MAX_BELIEVABLE_TOKENS = 100_000_000;

    private final PlanningModel model;
    private final PlanningPrompt prompt;
    private final PlanValidator validator;
    private final ObjectMapper mapper;
    private final PlannerConfig config;
    private final AgentMetrics metrics;
    private final ModelHealth health;

    public LlmPlanner(PlanningModel model, PlanningPrompt prompt, PlanValidator validator,
                      ObjectMapper mapper, PlannerConfig config, AgentMetrics metrics, ModelHealth health) {
        this.health = health;
        this.model = model;
        this.prompt = prompt;
        this.validator = validator;
        this.mapper = mapper;
        this.config = config;
        this.metrics = metrics;
    }

    @Timeout(20_000)
    @Retry(maxRetries = 1, delay = 500, jitter = 100)
    @RetryWhen(exception = ModelFailures.Retriable.class)
    @Fallback(RulesFallback.class)
    public Uni<PlanningOutcome> plan(String tenant, String userPrompt) {
        // The model call blocks on HTTP: run it on a worker thread, never on the event loop.
        return Uni.createFrom().item(() -> model.ask(prompt.instructions(tenant), userPrompt, prompt.schema(tenant)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().invoke(failure -> {
                    FallbackReason reason = ModelFailures.reason(failure);
                    metrics.llmFailed(reason);
                    if (ModelFailures.unanswered(reason)) {
                        health.failed(reason, ModelFailures.describe(failure));
                    }
                })
                .map(answer -> toOutcome(answer, tenant));
    }

    private PlanningOutcome toOutcome(PlanningModel.Reply answer, String tenant) {
        health.answered();
        Usage usage = usageOf(answer.tokenUsage());
        metrics.llmUsage(usage);
        try {
            Plan plan = validator.validate(parse(answer.content(), usage), tenant);
            metrics.llmSucceeded();
            return new PlanningOutcome(plan, Planner.LLM, null, usage);
        } catch (PlanningException invalid) {
            metrics.llmFailed(FallbackReason.of(invalid.reason()));
            throw new ModelPlanRejected(invalid.reason(), invalid.getMessage(), usage);
        } catch (ModelPlanRejected rejected) {
            metrics.llmFailed(FallbackReason.of(rejected.reason()));
            throw rejected;
        }
    }

    private Plan parse(String content, Usage usage) {
        JsonNode json;
        try {
            json = mapper.readTree(stripCodeFence(content == null ? "" : content));
        } catch (JsonProcessingException e) {
            throw new ModelPlanRejected(PlanProblem.MALFORMED_JSON, "the model's answer is not JSON: " + e.getOriginalMessage(),
                    usage);
        }
        if (json == null || !json.isObject() || !json.path("steps").isArray()) {
            throw new ModelPlanRejected(PlanProblem.MALFORMED_JSON, "the model's answer is not a {\"steps\": [...]} object",
                    usage);
        }
        prompt.dropOmitted(json);
        try {
            return mapper.treeToValue(json, Plan.class);
        } catch (JsonProcessingException e) {
            throw new ModelPlanRejected(PlanProblem.INVALID_PLAN, "the model's plan has fields of the wrong type: "
                    + e.getOriginalMessage(), usage);
        }
    }

    /** Models like to wrap JSON in ```json fences even when told not to. */
    static String stripCodeFence(String content) {
        String text = content.strip();
        if (text.startsWith("```")) {
            text = text.replaceFirst("^```[A-Za-z]*\\s*", "").replaceFirst("\\s*```$", "");
        }
        return text;
    }

    /**
     * What the model says it used, as the tenant's budget counts it. A count below 0 (which would lower the tenant's
     * spending until its budget never runs out) or past any context window is not believed: it counts as 0, and
     * {@code agent_llm_usage_invalid_total} says so.
     */
    private Usage usageOf(TokenUsage tokens) {
        if (tokens == null) {
            return Usage.NONE;
        }
        long in = believable(tokens.inputTokenCount(), "input");
        long out = believable(tokens.outputTokenCount(), "output");
        double cost = in * config.price().inputPerMillion() / 1e6 + out * config.price().outputPerMillion() / 1e6;
        return new Usage(in, out, cost);
    }

    private long believable(Integer reported, String type) {
        if (reported == null) {
            return 0;
        }
        if (reported < 0 || reported > MAX_BELIEVABLE_TOKENS) {
            metrics.llmUsageInvalid(type);
            LOG.debugf("the model reported %d %s tokens for one call; counted as 0", reported, type);
            return 0;
        }
        return reported;
    }
}
