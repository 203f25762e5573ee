package dev.agentruntime.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.testing.OnEveryBackend;
import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestRuns;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.agentruntime.testing.TestRuns.json;
import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link RunJournal} does: a run and its event are saved together, and transitions are compare-and-set. */
class RunJournalContractTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @OnEveryBackend
    void aRecordSavesTheRunWithItsEvent(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        Run run = TestRuns.planned("acme", store.clock().instant()).started(store.clock().instant());

        store.backend().journal().record(run, List.of(new JournalEvent(EventType.RUN_STARTED,
                JsonNodeFactory.instance.objectNode().put("steps", 1)))).await().atMost(WAIT);

        assertThat(json(store.backend().runs().find(run.runId()).await().atMost(WAIT).orElseThrow())).isEqualTo(json(run));
        List<RunEvent> events = store.backend().events().stream(run.runId(), null).select().first(1)
                .collect().asList().await().atMost(WAIT);
        assertThat(events).extracting(RunEvent::type).containsExactly(EventType.RUN_STARTED);
        assertThat(events.get(0).data().path("steps").asInt()).isEqualTo(1);
    }

    @OnEveryBackend
    void aTransitionHappensOnlyFromTheExpectedStatus(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        Run pending = TestRuns.planned("acme", store.clock().instant());
        store.backend().runs().save(pending).await().atMost(WAIT);
        Run started = pending.started(store.clock().instant());

        assertThat(store.backend().journal().transition(RunStatus.RUNNING, started, List.of())
                .await().atMost(WAIT)).isFalse();
        assertThat(json(store.backend().runs().find(pending.runId()).await().atMost(WAIT).orElseThrow()))
                .isEqualTo(json(pending));
        assertThat(store.backend().journal().transition(RunStatus.PENDING, started, List.of(new JournalEvent(
                EventType.RUN_STARTED, JsonNodeFactory.instance.objectNode()))).await().atMost(WAIT)).isTrue();
        assertThat(json(store.backend().runs().find(pending.runId()).await().atMost(WAIT).orElseThrow()))
                .isEqualTo(json(started));
    }

    @OnEveryBackend
    void ofRacingTransitionsFromOneStatusExactlyOneWins(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        for (int round = 0; round < 20; round++) {
            Run pending = TestRuns.planned("acme", store.clock().instant());
            store.backend().runs().save(pending).await().atMost(WAIT);
            List<Uni<Boolean>> racers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Run next = i % 2 == 0 ? pending.started(store.clock().instant())
                        : pending.cancelled("cancelled " + i, store.clock().instant());
                racers.add(store.backend().journal().transition(RunStatus.PENDING, next, List.of(new JournalEvent(
                        i % 2 == 0 ? EventType.RUN_STARTED : EventType.RUN_CANCELLED,
                        JsonNodeFactory.instance.objectNode()))));
            }
            List<Boolean> won = Uni.join().all(racers).andFailFast().await().atMost(WAIT);
            assertThat(won).filteredOn(Boolean::booleanValue).hasSize(1);
        }
    }

    /** Issue 13, item 2: a step write that arrived after the run was cancelled made it "running" again for good. */
    @OnEveryBackend
    void aLateWriteNeverBringsAnEndedRunBack(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        Run running = TestRuns.planned("acme", store.clock().instant()).started(store.clock().instant());
        store.backend().runs().save(running).await().atMost(WAIT);
        Run cancelled = running.cancelled("cancelled by request", store.clock().instant());
        assertThat(store.backend().journal().record(cancelled, List.of(new JournalEvent(EventType.RUN_CANCELLED,
                JsonNodeFactory.instance.objectNode()))).await().atMost(WAIT)).isTrue();

        Run late = running.withStep(running.step(1).running(running.step(1).toolInput(), store.clock().instant())
                .completed(JsonNodeFactory.instance.numberNode(2), 1, store.clock().instant()));
        assertThat(store.backend().journal().record(late, List.of(new JournalEvent(EventType.STEP_COMPLETED,
                JsonNodeFactory.instance.objectNode()))).await().atMost(WAIT)).isFalse();
        assertThat(store.backend().journal().record(running.completed(JsonNodeFactory.instance.numberNode(2),
                store.clock().instant()), List.of(new JournalEvent(EventType.RUN_COMPLETED,
                JsonNodeFactory.instance.objectNode()))).await().atMost(WAIT)).as("a second end").isFalse();

        assertThat(json(store.backend().runs().find(running.runId()).await().atMost(WAIT).orElseThrow()))
                .isEqualTo(json(cancelled));
        assertThat(store.backend().events().stream(running.runId(), null).collect().asList().await().atMost(WAIT))
                .extracting(RunEvent::type).containsExactly(EventType.RUN_CANCELLED);
    }

    @OnEveryBackend
    void ofRacingEndsOfARunningRunExactlyOneIsStored(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        for (int round = 0; round < 20; round++) {
            Run running = TestRuns.planned("acme", store.clock().instant()).started(store.clock().instant());
            store.backend().runs().save(running).await().atMost(WAIT);
            List<Run> ends = List.of(running.cancelled("cancelled", store.clock().instant()),
                    running.completed(JsonNodeFactory.instance.numberNode(2), store.clock().instant()),
                    running.failed("failed", store.clock().instant()));
            List<Boolean> won = Uni.join().all(ends.stream().map(end -> store.backend().journal().record(end,
                    List.of(new JournalEvent(EventType.endOf(end.status()), JsonNodeFactory.instance.objectNode()))))
                    .toList())
                    .andFailFast().await().atMost(WAIT);

            assertThat(won).filteredOn(Boolean::booleanValue).hasSize(1);
            Run winner = ends.get(won.indexOf(true));
            assertThat(store.backend().runs().find(running.runId()).await().atMost(WAIT).orElseThrow().status())
                    .isEqualTo(winner.status());
            assertThat(store.backend().events().stream(running.runId(), null).collect().asList().await()
                    .atMost(WAIT)).extracting(RunEvent::type).containsExactly(EventType.endOf(winner.status()));
        }
    }
}
