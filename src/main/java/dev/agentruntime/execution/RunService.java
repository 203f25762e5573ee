package dev.agentruntime.execution;

import dev.agentruntime.planning.PlanningService;
import dev.agentruntime.run.CapacityExceededException;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunNotFoundException;
import dev.agentruntime.store.RunStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** The life of a run as the API sees it: plan, store, start, and optionally wait for the end. */
@ApplicationScoped
public class RunService {

    private static final Logger LOG = Logger.getLogger(RunService.class);

    private final PlanningService planning;
    private final RunExecutor executor;
    private final RunStore store;
    private final RunWatchers watchers;
    private final ExecutionConfig config;
    private final Clock clock;
    private final AtomicInteger unfinished = new AtomicInteger();

    public RunService(PlanningService planning, RunExecutor executor, RunStore store, RunWatchers watchers,
                      ExecutionConfig config, Clock clock) {
        this.planning = planning;
        this.executor = executor;
        this.store = store;
        this.watchers = watchers;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Plans and stores a new run, then executes it in the background. With a positive {@code wait}, answers once
     * the run ends or the wait is over, whichever comes first; the run as stored at that moment.
     */
    public Uni<Run> create(String prompt, Duration wait) {
        return planning.plan(prompt)
                .map(outcome -> Run.planned(UUID.randomUUID(), prompt, outcome, clock.instant()))
                .flatMap(run -> {
                    reserveSlot();
                    return store.save(run)
                            .onFailure().invoke(this::releaseSlot)
                            .replaceWith(run);
                })
                .flatMap(run -> {
                    Uni<Run> terminal = wait.isZero() ? null : watchers.awaitTerminal(run.runId(), wait);
                    start(run);
                    return terminal == null ? Uni.createFrom().item(run)
                            : terminal.flatMap(done -> done != null ? Uni.createFrom().item(done) : get(run.runId()));
                });
    }

    public Uni<Run> get(UUID runId) {
        return store.find(runId).map(found -> found.orElseThrow(() -> new RunNotFoundException(runId.toString())));
    }

    /** {@code runId} as the caller wrote it: anything that is not a UUID is simply not found. */
    public Uni<Run> get(String runId) {
        UUID id;
        try {
            id = UUID.fromString(runId);
        } catch (IllegalArgumentException malformed) {
            return Uni.createFrom().failure(new RunNotFoundException(runId));
        }
        return get(id);
    }

    public Uni<List<Run>> list(int limit, int offset) {
        return store.list(limit, offset);
    }

    /** Runs accepted on this instance and not yet finished. */
    public int unfinishedRuns() {
        return unfinished.get();
    }

    private void start(Run run) {
        executor.execute(run)
                .runSubscriptionOn(Infrastructure.getDefaultExecutor())
                .onTermination().invoke(this::releaseSlot)
                .subscribe().with(
                        done -> LOG.debugf("run %s ended %s", done.runId(), done.status().wireName()),
                        failure -> LOG.errorf(failure, "run %s could not be executed to the end", run.runId()));
    }

    private void reserveSlot() {
        if (unfinished.incrementAndGet() > config.maxQueuedRuns()) {
            unfinished.decrementAndGet();
            throw new CapacityExceededException(config.maxQueuedRuns());
        }
    }

    private void releaseSlot() {
        unfinished.decrementAndGet();
    }
}
