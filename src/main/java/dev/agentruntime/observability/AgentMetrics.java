package dev.agentruntime.observability;

import dev.agentruntime.run.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every metric of the runtime, in one place so the names stay consistent. Micrometer's dotted names become
 * Prometheus names in {@code /q/metrics}: {@code agent.llm.calls} → {@code agent_llm_calls_total}.
 */
@ApplicationScoped
public class AgentMetrics {

    private final MeterRegistry registry;

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One call to the model: {@code outcome} is {@code success} or the failure reason. */
    public void llmCall(String outcome) {
        registry.counter("agent.llm.calls", "outcome", outcome).increment();
    }

    /** The LLM planner was tried and the rules served instead. */
    public void plannerFallback(String reason) {
        registry.counter("agent.planner.fallbacks", "reason", reason).increment();
    }

    /** A plan was made (or refused) by {@code planner} ({@code llm} or {@code rules}). */
    public void plannerCall(String planner, String outcome) {
        registry.counter("agent.planner.calls", "planner", planner, "outcome", outcome).increment();
    }

    /** Tokens and cost the model reported. */
    public void llmUsage(Usage usage) {
        Counter.builder("agent.llm.tokens").tag("type", "input").register(registry).increment(usage.inputTokens());
        Counter.builder("agent.llm.tokens").tag("type", "output").register(registry).increment(usage.outputTokens());
        Counter.builder("agent.llm.cost").baseUnit("usd").register(registry).increment(usage.costUsd());
    }
}
