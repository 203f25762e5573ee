package dev.agentruntime.execution;

import dev.agentruntime.security.AuthConfig;
import dev.agentruntime.store.QueueConfig;
import dev.agentruntime.store.TenantShares;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * This instance's executor slots and one tenant's share of them, for the queue: decided here because the default
 * share depends on whether there can be more than one tenant (the authentication mode), which the store does not
 * know. A share the configuration gets wrong refuses start-up with one line.
 */
@ApplicationScoped
public class ExecutorSlots {

    @Produces
    @Singleton
    static TenantShares.Share share(QueueConfig queue, AuthConfig auth) {
        int slots = queue.maxConcurrent();
        if (slots < 1) {
            throw new ConfigurationException("AGENT_QUEUE_MAX_CONCURRENT must be at least 1, not " + slots);
        }
        if (queue.maxConcurrentPerTenant().isEmpty()) {
            return TenantShares.Share.byDefault(slots, auth.mode() == AuthConfig.Mode.OFF);
        }
        int perTenant = queue.maxConcurrentPerTenant().getAsInt();
        if (perTenant < 1 || perTenant > slots) {
            throw new ConfigurationException("AGENT_QUEUE_MAX_CONCURRENT_PER_TENANT must be between 1 and "
                    + "AGENT_QUEUE_MAX_CONCURRENT (" + slots + "), not " + perTenant);
        }
        return new TenantShares.Share(slots, perTenant);
    }
}
