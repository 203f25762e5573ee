package dev.agentruntime.execution;

import dev.agentruntime.approval.ApprovalConfig;
import dev.agentruntime.store.RunStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every instance looks, every {@code agent.approval.expiry-check-interval}, for requests for approval whose time is
 * up, and ends their runs {@code rejected} ({@code approval_expired}). The deadlines live in the store (a sorted set
 * in Redis), not in a local timer, so a request expires on time whichever instances are alive; the store's
 * compare-and-set makes one of them do it. It also refreshes {@code agent_approvals_pending}.
 */
@ApplicationScoped
public class ApprovalExpiry {

    private static final Logger LOG = Logger.getLogger(ApprovalExpiry.class);
    /** Expired per check at most: a backlog drains over a few checks without one long burst. */
    private static final int BATCH = 100;
    private static final java.time.Duration CHECK_LIMIT = java.time.Duration.ofSeconds(10);

    private final RunStore store;
    private final RunApprovals approvals;
    private final ApprovalConfig config;
    private final Vertx vertx;
    private final Clock clock;
    private final AtomicBoolean checking = new AtomicBoolean();
    private final AtomicLong pending = new AtomicLong();
    private final MeterRegistry registry;
    private final Gauge gauge;
    private long timer = -1;

    public ApprovalExpiry(RunStore store, RunApprovals approvals, ApprovalConfig config, Vertx vertx, Clock clock,
                          MeterRegistry registry) {
        this.store = store;
        this.approvals = approvals;
        this.config = config;
        this.vertx = vertx;
        this.clock = clock;
        this.registry = registry;
        this.gauge = Gauge.builder("agent.approvals.pending", pending, AtomicLong::get)
                .description("Runs awaiting a person's approval, of every tenant").register(registry);
    }

    void onStart(@Observes StartupEvent start) {
        timer = vertx.setPeriodic(Math.max(50, config.expiryCheckInterval().toMillis()), id -> check());
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        // The registry may outlive this application (a restart in the same JVM): see QueueDepthGauge.
        registry.remove(gauge);
    }

    /** One check at a time per instance; a slow store just makes the next check wait for this one. */
    void check() {
        if (!checking.compareAndSet(false, true)) {
            return;
        }
        store.approvalsDue(clock.instant(), BATCH)
                .onItem().transformToMulti(due -> Multi.createFrom().iterable(due))
                .onItem().transformToUniAndConcatenate(approvals::expire)
                .collect().last()
                .flatMap(ignored -> store.approvalsPending())
                .invoke(count -> pending.set(count == null ? 0 : count))
                // A check that hangs (a store that never answers) must not stop every check after it.
                .ifNoItem().after(CHECK_LIMIT).fail()
                .onTermination().invoke(() -> checking.set(false))
                .subscribe().with(count -> { }, failure -> LOG.debugf("approval expiry check failed: %s",
                        failure.getMessage()));
    }
}
