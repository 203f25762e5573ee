package dev.agentruntime.limits;

import dev.agentruntime.store.StoreBackend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** Quotas are counted where the runs are kept: in Redis when it is the store, so every instance shares them. */
@ApplicationScoped
public class LimitsProducer {

    @Produces
    @ApplicationScoped
    TenantLimits tenantLimits(StoreBackend backend, LimitsConfig config, Clock clock) {
        return backend.redis().<TenantLimits>map(redis -> new RedisTenantLimits(redis, config, clock))
                .orElseGet(() -> new MemoryTenantLimits(config, clock));
    }
}
