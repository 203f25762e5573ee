package dev.agentruntime.planning;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** {@code agent.planner.*}: how prompts become plans. */
@ConfigMapping(prefix = "agent.planner")
public interface PlannerConfig {

    enum Mode { AUTO, LLM, RULES }

    /**
     * {@code auto} (default): the LLM when an API key or a base URL is configured, else the rules with no network
     * call; {@code llm} or {@code rules} force one. Set with {@code AGENT_PLANNER}.
     */
    @WithDefault("auto")
    Mode mode();

    /** How the model is asked to answer in the plan's shape ({@code response_format}). */
    enum StructuredOutput { AUTO, JSON_SCHEMA, JSON_OBJECT, OFF }

    /**
     * {@code auto} (default): the plan's JSON Schema ({@code json_schema}), and when the endpoint refuses that with a
     * 400 about {@code response_format}, {@code json_object}, then none, remembered per endpoint and model until
     * restart; {@code json_schema}, {@code json_object} or {@code off} force one. Set with
     * {@code AGENT_PLANNER_STRUCTURED_OUTPUT}.
     */
    @WithDefault("auto")
    StructuredOutput structuredOutput();

    /**
     * {@code AGENT_PLANNER_CACHE_TTL}: keep validated LLM plans this long and reuse one for the same tenant, prompt,
     * tool catalog and model (shared through Redis with the Redis store). Absent (default): no cache.
     */
    Optional<java.time.Duration> cacheTtl();

    /** Plans the in-memory cache keeps at most (the oldest go first); Redis keeps them by TTL. */
    @WithDefault("10000")
    int cacheMaxEntries();

    /** The longest plan the runtime accepts from any planner. */
    @WithDefault("10")
    int maxSteps();

    /** {@code OPENAI_API_KEY}, when set: enables the LLM planner in auto mode. */
    Optional<String> apiKey();

    /** {@code OPENAI_BASE_URL}, when set: an OpenAI-compatible endpoint (vLLM, Ollama…); enables auto mode too. */
    Optional<String> baseUrl();

    /** Time one call to the model may take (also langchain4j's HTTP timeout). */
    long timeoutMs();

    /** Calls after the first when the model is slow, overloaded or unreachable. */
    int maxRetries();

    /** Prices in USD per million tokens, for {@code usage.cost_usd}. */
    Price price();

    interface Price {
        @WithDefault("0.15")
        double inputPerMillion();

        @WithDefault("0.60")
        double outputPerMillion();
    }

    /** The mode after resolving {@code auto}. */
    default Mode effectiveMode() {
        if (mode() != Mode.AUTO) {
            return mode();
        }
        return apiKey().isPresent() || baseUrl().isPresent() ? Mode.LLM : Mode.RULES;
    }
}
