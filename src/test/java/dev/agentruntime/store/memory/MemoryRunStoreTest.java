package dev.agentruntime.store.memory;

import dev.agentruntime.run.Plan;
import dev.agentruntime.run.PlanningOutcome;
import dev.agentruntime.run.Run;
import dev.agentruntime.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryRunStoreTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void listsNewestFirstWithPaging() {
        MemoryRunStore store = new MemoryRunStore(clock, Duration.ofHours(1), 100);
        List<Run> runs = saveRuns(store, 5);

        assertThat(store.list(Run.DEFAULT_TENANT, 2, 0).await().indefinitely()).extracting(Run::runId)
                .containsExactly(runs.get(4).runId(), runs.get(3).runId());
        assertThat(store.list(Run.DEFAULT_TENANT, 2, 4).await().indefinitely()).extracting(Run::runId)
                .containsExactly(runs.get(0).runId());
        assertThat(store.list(Run.DEFAULT_TENANT, 10, 5).await().indefinitely()).isEmpty();
    }

    @Test
    void aSaveReplacesTheRunWithoutDuplicatingIt() {
        MemoryRunStore store = new MemoryRunStore(clock, Duration.ofHours(1), 100);
        Run run = saveRuns(store, 1).get(0);
        store.save(run.started(clock.instant())).await().indefinitely();

        assertThat(store.list(Run.DEFAULT_TENANT, 10, 0).await().indefinitely()).hasSize(1);
        assertThat(store.find(run.runId()).await().indefinitely().orElseThrow().startedAt()).isNotNull();
    }

    @Test
    void runsExpireATtlAfterCreation() {
        MemoryRunStore store = new MemoryRunStore(clock, Duration.ofHours(1), 100);
        Run old = saveRuns(store, 1).get(0);
        clock.advance(Duration.ofMinutes(59));
        Run young = saveRuns(store, 1).get(0);
        assertThat(store.find(old.runId()).await().indefinitely()).isPresent();

        clock.advance(Duration.ofMinutes(2));
        assertThat(store.find(old.runId()).await().indefinitely()).isEmpty();
        assertThat(store.list(Run.DEFAULT_TENANT, 10, 0).await().indefinitely()).extracting(Run::runId).containsExactly(young.runId());
    }

    @Test
    void keepsAtMostTheConfiguredNumberOfEndedRuns() {
        MemoryRunStore store = new MemoryRunStore(clock, Duration.ofHours(1), 3);
        List<Run> runs = saveRuns(store, 5).stream().map(this::end).toList();
        runs.forEach(run -> store.save(run).await().indefinitely());

        assertThat(store.list(Run.DEFAULT_TENANT, 10, 0).await().indefinitely()).extracting(Run::runId)
                .containsExactly(runs.get(4).runId(), runs.get(3).runId(), runs.get(2).runId());
        assertThat(store.find(runs.get(0).runId()).await().indefinitely()).isEmpty();
    }

    /**
     * Issue 25: another tenant's flood of runs past the bound made a running run answer 404 while it kept executing.
     * Runs that have not ended stay whatever the bound (pending, running, awaiting approval); ended ones go, oldest
     * first, and once those have ended they go like any other.
     */
    @Test
    void theBoundNeverDropsARunThatHasNotEnded() {
        List<java.util.UUID> dropped = new java.util.ArrayList<>();
        MemoryRunStore store = new MemoryRunStore(clock, Duration.ofHours(1), 3, Long.MAX_VALUE, dropped::add);
        List<Run> unfinished = saveRuns(store, 2);
        Run running = unfinished.get(0).started(clock.instant());
        store.save(running).await().indefinitely();
        List<Run> flood = saveRuns(store, 10).stream().map(this::end).toList();
        flood.forEach(run -> store.save(run).await().indefinitely());

        assertThat(store.find(running.runId()).await().indefinitely()).isPresent();
        assertThat(store.find(unfinished.get(1).runId()).await().indefinitely()).isPresent();
        assertThat(store.list(Run.DEFAULT_TENANT, 10, 0).await().indefinitely()).extracting(Run::runId)
                .containsExactly(flood.get(9).runId(), unfinished.get(1).runId(), running.runId());
        assertThat(dropped).doesNotContain(running.runId(), unfinished.get(1).runId()).hasSize(9);

        store.save(end(running)).await().indefinitely();
        store.save(end(saveRuns(store, 1).get(0))).await().indefinitely();
        assertThat(store.find(running.runId()).await().indefinitely()).as("ended, it is the oldest beyond the bound")
                .isEmpty();
    }

    private Run end(Run run) {
        Run started = run.startedAt() == null ? run.started(clock.instant()) : run;
        return started.failed("ended", clock.instant());
    }

    private List<Run> saveRuns(MemoryRunStore store, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> {
            clock.advance(Duration.ofMillis(1));
            Run run = Run.planned(UUID.randomUUID(), Run.DEFAULT_TENANT, "p" + i, PlanningOutcome.byRules(new Plan(List.of()), null),
                    clock.instant());
            store.save(run).await().indefinitely();
            return run;
        }).toList();
    }
}
