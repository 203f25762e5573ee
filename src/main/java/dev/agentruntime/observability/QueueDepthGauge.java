package dev.agentruntime.observability;

import dev.agentruntime.store.RunQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code agent_queue_depth}: runs queued and not finished; {@code agent_state_store_up}: 1 while that read
 * succeeds, 0 while the store does not answer (the alert for a lost Redis: readiness stays UP, ADR 0026). Refreshed
 * every few seconds in the background, so a scrape never waits on Redis.
 */
@ApplicationScoped
public class QueueDepthGauge {

    static final Duration REFRESH = Duration.ofSeconds(2);

    private final RunQueue queue;
    private final MeterRegistry registry;
    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong storeUp = new AtomicLong(1);
    private final List<Gauge> gauges;
    private Cancellable refreshing;

    public QueueDepthGauge(RunQueue queue, MeterRegistry registry) {
        this.queue = queue;
        this.registry = registry;
        this.gauges = List.of(
                Gauge.builder("agent.queue.depth", depth, AtomicLong::get).strongReference(true).register(registry),
                Gauge.builder("agent.state.store.up", storeUp, AtomicLong::get).strongReference(true)
                        .register(registry));
    }

    void start(@Observes StartupEvent event) {
        refreshing = Multi.createFrom().ticks().startingAfter(Duration.ZERO.plusMillis(1)).every(REFRESH)
                .onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> queue.depth()
                        // A read Redis leaves hanging (seen for 10 s after it went away) is a store that does not
                        // answer, as in the wellness check; without the bound the gauge stayed 1 all that time.
                        .ifNoItem().after(StoreHealthCheck.PING_TIMEOUT).fail()
                        .invoke(read -> storeUp.set(1))
                        .onFailure().invoke(failure -> storeUp.set(0))
                        .onFailure().recoverWithItem(depth.get()))
                .subscribe().with(depth::set);
    }

    void stop(@Observes ShutdownEvent event) {
        if (refreshing != null) {
            refreshing.cancel();
        }
        // The registry can outlive this application (a restart in the same JVM: tests, dev mode): a gauge left in
        // it would be the one a new instance's registration gets back, still reading this instance's frozen value
        // (agent_state_store_up stayed 1 through an outage in every application but a JVM's first).
        gauges.forEach(registry::remove);
    }
}
