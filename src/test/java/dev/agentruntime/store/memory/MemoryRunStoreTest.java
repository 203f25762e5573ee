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
    void keepsAtMostTheConfiguredNumberOfRuns() {
        MemoryRunStore store = new MemoryRunStore(clock, Duration.ofHours(1), 3);
        List<Run> runs = saveRuns(store, 5);

        assertThat(store.list(Run.DEFAULT_TENANT, 10, 0).await().indefinitely()).extracting(Run::runId)
                .containsExactly(runs.get(4).runId(), runs.get(3).runId(), runs.get(2).runId());
        assertThat(store.find(runs.get(0).runId()).await().indefinitely()).isEmpty();
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
