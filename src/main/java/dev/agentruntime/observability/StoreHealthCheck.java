package dev.agentruntime.observability;

import dev.agentruntime.store.RunStore;
import dev.agentruntime.store.StoreConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.health.api.Wellness;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.time.Duration;

/**
 * Whether the state store answers now, and whether it takes writes: {@code /q/health/well} and
 * {@code /api/v1/health}, what operators alert on. Not readiness (ADR 0026: {@link StoreReadinessCheck}). Replaces
 * the Redis client's own check, which would report DOWN on the embedded store where no Redis is expected.
 */
@Wellness
@ApplicationScoped
public class StoreHealthCheck implements AsyncHealthCheck {

    static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

    private final RunStore store;
    private final StoreConfig config;

    public StoreHealthCheck(RunStore store, StoreConfig config) {
        this.store = store;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        String type = config.type().name().toLowerCase(java.util.Locale.ROOT);
        // Up while the store answers, even when it refuses writes for lack of memory: every instance shares the
        // store, and taking them all out of service would also stop reads; the check says what is refused.
        return store.acceptsWrites()
                .ifNoItem().after(PING_TIMEOUT).fail()
                .map(writable -> {
                    var response = HealthCheckResponse.named("state-store").up().withData("type", type)
                            .withData("writable", writable);
                    return (writable ? response : response.withData("writes",
                            "refused: the store is out of memory (Redis maxmemory, noeviction)")).build();
                })
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("state-store").down()
                        .withData("type", type).withData("error", failure.getClass().getSimpleName()).build());
    }
}
