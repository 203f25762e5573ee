package dev.agentruntime.limits;

import dev.agentruntime.run.Usage;
import io.smallrye.mutiny.Uni;

import java.time.Duration;

/**
 * Per-tenant quotas, shared by every instance (in Redis) or kept in process (memory store): a run-start rate over a
 * sliding minute (never more than the limit in any 60 seconds), and a daily LLM budget in tokens and dollars.
 */
public interface TenantLimits {

    /** Counts a run start; {@link Duration#ZERO} when allowed, else how long until one is. */
    Uni<Duration> acquireRun(String tenant);

    /** True once the tenant has spent today's token or dollar budget. */
    Uni<Boolean> budgetExhausted(String tenant);

    /** Adds what a model call cost to today's spending. */
    Uni<Void> spend(String tenant, Usage usage);
}
