package dev.agentruntime.observability;

import dev.agentruntime.store.RunStore;
import dev.agentruntime.store.StoreConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.health.api.Wellness;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.time.Duration;
import java.util.List;

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
        return Uni.combine().all().unis(store.acceptsWrites(), store.nodes()).asTuple()
                .ifNoItem().after(PING_TIMEOUT).fail()
                .map(both -> {
                    boolean writable = both.getItem1();
                    List<RunStore.NodeFigures> nodes = both.getItem2();
                    boolean clusterOk = nodes.stream().allMatch(RunStore.NodeFigures::clusterOk);
                    var response = HealthCheckResponse.named("state-store").status(clusterOk).withData("type", type)
                            .withData("writable", writable);
                    if (!writable) {
                        response.withData("writes",
                                "refused: the store is out of memory (Redis maxmemory, noeviction)");
                    }
                    if (!clusterOk) {
                        response.withData("cluster_state", "not ok: a primary does not see every slot served "
                                + "(CLUSTER INFO)");
                    }
                    return figures(response, nodes).build();
                })
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("state-store").down()
                        .withData("type", type).withData("error", failure.getClass().getSimpleName())
                        .withData("cause", rootCause(failure)).build());
    }

    /** What Redis or the client said (CLUSTERDOWN, a node refusing connections): on the management port only. */
    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    /** Memory and keys summed over the primaries, and each primary's (by port), so one filling up shows. */
    private static HealthCheckResponseBuilder figures(HealthCheckResponseBuilder response,
                                                      List<RunStore.NodeFigures> nodes) {
        if (nodes.isEmpty()) {
            return response;
        }
        response.withData("used_memory", nodes.stream().mapToLong(RunStore.NodeFigures::usedMemory).sum())
                .withData("keys", nodes.stream().mapToLong(RunStore.NodeFigures::keys).sum())
                .withData("primaries", nodes.size());
        if (nodes.size() > 1) {
            for (RunStore.NodeFigures node : nodes) {
                response.withData("primary_" + node.node(), node.usedMemory() + " B used of maxmemory "
                        + node.maxMemory() + ", " + node.keys() + " keys");
            }
        }
        return response;
    }
}
