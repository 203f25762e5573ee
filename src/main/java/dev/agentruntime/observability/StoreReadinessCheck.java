package dev.agentruntime.observability;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ready once the state store has answered since start, and from then on whatever happens to it (ADR 0026). A pod
 * that never reached it (a wrong host or password) stays out of the Service, so a bad rollout stops; a store lost
 * later is shared by every pod, and a ready pod answers {@code 503} + {@code Retry-After} where an empty Service
 * would refuse connections. {@link StoreHealthCheck} keeps saying whether it answers now.
 */
@Readiness
@ApplicationScoped
public class StoreReadinessCheck implements AsyncHealthCheck {

    static final String NAME = "state-store-reached";
    static final Duration RETRY = Duration.ofSeconds(1);

    private final StoreHealthCheck store;
    private final AtomicBoolean reached = new AtomicBoolean();
    private Cancellable trying;

    public StoreReadinessCheck(@Wellness StoreHealthCheck store) {
        this.store = store;
    }

    /** Asks the store once a second until it has answered, whether or not a probe asks meanwhile. */
    void start(@Observes StartupEvent event) {
        trying = Multi.createFrom().ticks().every(RETRY).onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> call())
                .select().first(response -> reached.get())
                .subscribe().with(response -> { });
    }

    void stop(@Observes ShutdownEvent event) {
        if (trying != null) {
            trying.cancel();
        }
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (reached.get()) {
            return Uni.createFrom().item(HealthCheckResponse.up(NAME));
        }
        return store.call().map(now -> {
            boolean up = now.getStatus() == HealthCheckResponse.Status.UP;
            if (up) {
                reached.set(true);
            }
            var response = HealthCheckResponse.named(NAME).status(up);
            now.getData().ifPresent(data -> data.forEach((key, value) -> response.withData(key, String.valueOf(value))));
            return response.build();
        });
    }
}
