package dev.agentruntime.execution;

import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.store.JournalEvent;
import dev.agentruntime.store.RunJournal;
import dev.agentruntime.testing.TestRuns;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The executor's view of a run and the store agree: a change {@link LiveRun} has applied is written even when the
 * one waiting for it stops waiting. The cancel race (CancelRaceContract) once caught a run whose last step's write
 * was cancelled with its wave: the executor answered "completed" and the store kept "running" for good.
 */
class LiveRunTest {

    /** A journal whose first write is held until the test lets it go; it records what it was asked to save. */
    private static final class HeldJournal implements RunJournal {
        final CompletableFuture<Boolean> firstWrite = new CompletableFuture<>();
        final List<RunStatus> written = new CopyOnWriteArrayList<>();

        @Override
        public Uni<Boolean> record(Run run, List<JournalEvent> events) {
            boolean first = written.isEmpty();
            written.add(run.status());
            return first ? Uni.createFrom().completionStage(firstWrite) : Uni.createFrom().item(true);
        }

        @Override
        public Uni<Boolean> transition(RunStatus expected, Run next, List<JournalEvent> events) {
            throw new UnsupportedOperationException("not used by LiveRun");
        }
    }

    /**
     * ADR 0037: a held change is not written; the next write carries its events ahead of its own, and the row of the
     * run's life that write is checked against accepts them. A change of status is never held.
     */
    @Test
    void aHeldChangeRidesTheNextWriteAheadOfItsEvents() {
        List<List<EventType>> writes = new CopyOnWriteArrayList<>();
        RunJournal journal = new RunJournal() {
            @Override
            public Uni<Boolean> record(Run run, List<JournalEvent> events) {
                writes.add(events.stream().map(JournalEvent::type).toList());
                return Uni.createFrom().item(true);
            }

            @Override
            public Uni<Boolean> transition(RunStatus expected, Run next, List<JournalEvent> events) {
                throw new UnsupportedOperationException("not used by LiveRun");
            }
        };
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        LiveRun live = new LiveRun(journal, TestRuns.planned("default", now).started(now), false);

        live.hold(run -> run, run -> List.of(new JournalEvent(EventType.STEP_COMPLETED, null),
                new JournalEvent(EventType.STEP_STARTED, null)));
        assertThat(writes).isEmpty();
        assertThatThrownBy(() -> live.hold(run -> run.cancelled("test", now), run -> List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not held");
        assertThat(live.current().status()).isEqualTo(RunStatus.RUNNING);

        live.apply(run -> run.completed(com.fasterxml.jackson.databind.node.IntNode.valueOf(42), now),
                run -> List.of(new JournalEvent(EventType.STEP_COMPLETED, null),
                        new JournalEvent(EventType.RUN_COMPLETED, null))).await().indefinitely();
        live.flush().await().indefinitely();

        assertThat(writes).containsExactly(List.of(EventType.STEP_COMPLETED, EventType.STEP_STARTED,
                EventType.STEP_COMPLETED, EventType.RUN_COMPLETED));
    }

    @Test
    void aChangeIsWrittenEvenWhenItsCallerStopsWaitingBeforeTheWriteStarts() {
        HeldJournal journal = new HeldJournal();
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        LiveRun live = new LiveRun(journal, TestRuns.planned("default", now).started(now), false);

        live.apply(run -> run, run -> List.of(new JournalEvent(EventType.STEP_COMPLETED, null))).subscribe().with(run -> { });
        // The next change waits for the first write; its caller gives up meanwhile (a cancel stopping the wave).
        Cancellable waiting = live.apply(run -> run.cancelled("test", now),
                        run -> List.of(new JournalEvent(EventType.RUN_CANCELLED, null)))
                .subscribe().with(run -> { });
        waiting.cancel();
        assertThat(live.current().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(live.written().subscribeAsCompletionStage()).isNotDone();

        journal.firstWrite.complete(true);

        assertThat(journal.written).containsExactly(RunStatus.RUNNING, RunStatus.CANCELLED);
        assertThat(live.written().subscribeAsCompletionStage()).isDone();
    }
}
