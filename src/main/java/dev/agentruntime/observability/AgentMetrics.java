package dev.agentruntime.observability;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.agentruntime.run.FallbackReason;
import dev.agentruntime.run.Planner;
import dev.agentruntime.run.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Locale;

/**
 * The planner's and the model's metrics, so their names and tags stay consistent; a run's own metrics live in
 * {@link RunTelemetry}, the queue depth in {@link QueueDepthGauge}. Micrometer's dotted names become Prometheus
 * names in {@code /q/metrics}: {@code agent.llm.calls} → {@code agent_llm_calls_total}.
 */
@ApplicationScoped
public class AgentMetrics {

    /** What became of a prompt a planner was given. */
    public enum PlanOutcome {
        PLANNED, REFUSED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the plan cache did for a prompt: served it, did not have it, or dropped a plan. */
    public enum CacheEvent {
        HIT, MISS, EVICTION;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A call to the model that gave a valid plan: {@code outcome="success"}. */
    public void llmSucceeded() {
        registry.counter("agent.llm.calls", "outcome", "success").increment();
    }

    /** A call to the model that failed, or gave no valid plan: tagged with the reason. */
    public void llmFailed(FallbackReason reason) {
        registry.counter("agent.llm.calls", "outcome", reason.wireName()).increment();
    }

    /** The LLM planner was tried and the rules served instead. */
    public void plannerFallback(FallbackReason reason) {
        registry.counter("agent.planner.fallbacks", "reason", reason.wireName()).increment();
    }

    /** A plan was made (or refused) by {@code planner}. */
    public void plannerCall(Planner planner, PlanOutcome outcome) {
        registry.counter("agent.planner.calls", "planner", planner.wireName(), "outcome", outcome.wireName())
                .increment();
    }

    /** {@code agent_planner_cache_total{event="hit|miss|eviction"}}. */
    public void planCache(CacheEvent event) {
        registry.counter("agent.planner.cache", "event", event.wireName()).increment();
    }

    /** The structured-output form an endpoint refused, and the one asked for instead. */
    public void responseFormatRefused(String refused, String next) {
        registry.counter("agent.llm.response.format.refusals", "refused", refused, "next", next).increment();
    }

    /** How long a request for approval waited for its decision ({@code approved}, {@code rejected}, {@code expired}). */
    public void approvalDecided(String decision, Duration waited) {
        Timer.builder("agent.approval.decision.latency").tag("decision", decision).register(registry).record(waited);
    }

    /** Tokens and cost the model reported. */
    /** A model reported a token count that cannot be true (negative, or past any context): it counted as 0. */
    public void llmUsageInvalid(String type) {
        Counter.builder("agent.llm.usage.invalid").description("Token counts a model reported that cannot be true "
                + "(negative or absurd), counted as 0").tag("type", type).register(registry).increment();
    }

    public void llmUsage(Usage usage) {
        Counter.builder("agent.llm.tokens").tag("type", "input").register(registry).increment(usage.inputTokens());
        Counter.builder("agent.llm.tokens").tag("type", "output").register(registry).increment(usage.outputTokens());
        Counter.builder("agent.llm.cost").baseUnit("usd").register(registry).increment(usage.costUsd());
    }
}
