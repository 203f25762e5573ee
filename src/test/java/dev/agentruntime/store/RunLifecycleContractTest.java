package dev.agentruntime.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentruntime.run.Approval;
import dev.agentruntime.run.ApprovalDecision;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.run.RunLifecycle;
import dev.agentruntime.run.RunLifecycle.Guard;
import dev.agentruntime.run.RunLifecycle.Transition;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.RunTrigger;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.testing.OnEveryBackend;
import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestRuns;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.agentruntime.testing.TestRuns.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Walks {@link RunLifecycle}'s whole table on every store: each row's write, raced by two parties from a stored run
 * in its {@code from} status, happens as its guard says (of a compare-and-set that leaves its status, or of an end,
 * exactly one wins; the executor's own steps are its alone, and both land), and every (status, trigger) pair that
 * is not a row is refused before anything is written. Runs are built only through {@link Run}'s own transitions.
 */
class RunLifecycleContractTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int ROUNDS = 5;

    @OnEveryBackend
    void everyRowHappensOnceWhenTwoPartiesRaceForIt(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        ExecutorService racers = Executors.newFixedThreadPool(2);
        try {
            long queued = 0;
            for (Transition row : RunLifecycle.table()) {
                for (int round = 0; round < ROUNDS; round++) {
                    Instant now = store.clock().instant();
                    Run before = runIn(row.from(), now);
                    store.backend().runs().save(before).await().atMost(WAIT);
                    Run next = change(before, row.trigger(), now);
                    List<JournalEvent> events = eventsOf(row, next);

                    List<Boolean> won = Uni.join().all(write(store, row, next, events).runSubscriptionOn(racers),
                            write(store, row, next, events).runSubscriptionOn(racers)).andFailFast()
                            .await().atMost(WAIT);

                    int winners = decides(row) ? 1 : 2;
                    assertThat(won).as("%s on %s", row, kind).filteredOn(Boolean::booleanValue).hasSize(winners);
                    Run stored = stored(store, before);
                    assertThat(stored.status()).as("%s", row).isEqualTo(row.to());
                    assertThat(json(stored)).as("%s", row).isEqualTo(json(next));
                    List<EventType> expected = new ArrayList<>();
                    for (int i = 0; i < winners; i++) {
                        events.forEach(event -> expected.add(event.type()));
                    }
                    assertThat(appended(store, before)).as("%s", row).containsExactlyElementsOf(expected);
                    if (row.requeue()) {
                        queued++;
                    }
                    assertThat(store.backend().queue().depth().await().atMost(WAIT)).as("queued again by %s", row)
                            .isEqualTo(queued);
                }
            }
        } finally {
            racers.shutdownNow();
        }
    }

    @OnEveryBackend
    void everyOtherPairIsRefusedAndWritesNothing(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        int refused = 0;
        for (RunStatus status : RunStatus.values()) {
            for (RunTrigger trigger : RunTrigger.values()) {
                if (trigger == RunTrigger.SUBMIT || RunLifecycle.find(status, trigger).isPresent()) {
                    continue;
                }
                Instant now = store.clock().instant();
                Run before = runIn(status, now);
                store.backend().runs().save(before).await().atMost(WAIT);

                // The change itself is refused by Run; a step written on a run that is not running, by the write's
                // row lookup, as the executor's LiveRun does it.
                assertThatThrownBy(() -> {
                    Run next = change(before, trigger, now);
                    List<JournalEvent> events = List.of(new JournalEvent(EventType.ofStep(next.step(1)),
                            JsonNodeFactory.instance.objectNode()));
                    store.backend().journal().apply(RunLifecycle.matching(before.status(), next.status(),
                            List.of(events.get(0).type())), next, events).await().atMost(WAIT);
                }).as("%s in %s", trigger, status).isInstanceOf(IllegalStateException.class);

                assertThat(json(stored(store, before))).as("%s in %s", trigger, status).isEqualTo(json(before));
                assertThat(appended(store, before)).as("%s in %s", trigger, status).isEmpty();
                refused++;
            }
        }
        assertThat(refused).isEqualTo(RunStatus.values().length * (RunTrigger.values().length - 1)
                - RunLifecycle.table().size());
    }

    /**
     * The store's half of the guard: a row's write on a stored run in any other status is refused when its guard
     * says so (a compare-and-set: any status but {@code from}; unless ended: an ended run), and lands otherwise.
     */
    @OnEveryBackend
    void theStoreRefusesARowsWriteOnAnyStatusItsGuardExcludes(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        long queued = 0;
        for (Transition row : RunLifecycle.table()) {
            for (RunStatus status : RunStatus.values()) {
                if (status == row.from()) {
                    continue;
                }
                Instant now = store.clock().instant();
                Run other = runIn(status, now);
                store.backend().runs().save(other).await().atMost(WAIT);
                // The row's change, made from a run in its own status that has the stored run's id.
                Run next = change(sameId(runIn(row.from(), now), other), row.trigger(), now);
                List<JournalEvent> events = eventsOf(row, next);

                boolean written = write(store, row, next, events).await().atMost(WAIT);

                boolean allowed = row.guard() == Guard.NOT_ENDED && !status.isTerminal();
                assertThat(written).as("%s on a stored %s run", row, status.wireName()).isEqualTo(allowed);
                assertThat(json(stored(store, other))).as("%s on a stored %s run", row, status.wireName())
                        .isEqualTo(json(allowed ? next : other));
                assertThat(appended(store, other)).hasSize(allowed ? events.size() : 0);
                if (allowed && row.requeue()) {
                    queued++;
                }
                assertThat(store.backend().queue().depth().await().atMost(WAIT)).isEqualTo(queued);
            }
        }
    }

    /** Whether the store picks one of two identical writes: a compare-and-set that leaves its status, or an end. */
    private static boolean decides(Transition row) {
        return row.guard() == Guard.EXPECTED_STATUS && row.from() != row.to() || row.to().isTerminal();
    }

    /** The write as the runtime makes it: a row that queues the run again through the queue, the others the journal. */
    private static Uni<Boolean> write(StoreBackends.Fixture store, Transition row, Run next,
                                      List<JournalEvent> events) {
        return row.requeue() ? store.backend().queue().resume(row, next, events)
                : store.backend().journal().apply(row, next, events);
    }

    private static Run stored(StoreBackends.Fixture store, Run run) {
        return store.backend().runs().find(run.runId()).await().atMost(WAIT).orElseThrow();
    }

    private static List<EventType> appended(StoreBackends.Fixture store, Run run) {
        return store.backend().events().replay(run.runId(), null).map(RunEvent::type).collect().asList().await()
                .atMost(WAIT);
    }

    /** A run in {@code status}, reached through Run's own transitions. */
    private static Run runIn(RunStatus status, Instant now) {
        Run pending = TestRuns.planned("acme", now);
        Run running = pending.started(now);
        Run awaiting = running.awaitingApproval(Approval.requested(1, "calculator",
                running.step(1).toolInput(), "hash", now, now.plusSeconds(60)));
        return switch (status) {
            case PENDING -> pending;
            case RUNNING -> running;
            case AWAITING_APPROVAL -> awaiting;
            case COMPLETED -> running.withStep(completedStep(running, now)).completed(
                    JsonNodeFactory.instance.numberNode(2), now);
            case FAILED -> running.failed("failed", now);
            case CANCELLED -> pending.cancelled("cancelled", now);
            case REJECTED -> awaiting.rejected(ApprovalDecision.REJECTED, "bob", now, null, "rejected by bob");
        };
    }

    /** What {@code trigger} makes of {@code run}, through Run's transitions (a step's record for RECORD_STEP). */
    private static Run change(Run run, RunTrigger trigger, Instant now) {
        return switch (trigger) {
            case SUBMIT -> throw new IllegalArgumentException("a submission makes a new run");
            case START -> run.started(now);
            case RESUME -> run.resumed(now);
            case RECORD_STEP -> run.withStep(completedStep(run, now));
            case PAUSE_FOR_APPROVAL -> run.awaitingApproval(Approval.requested(1, "calculator",
                    run.step(1).toolInput(), "hash", now, now.plusSeconds(60)));
            case APPROVE -> run.approved("alice", now, "fine");
            case REJECT -> run.rejected(ApprovalDecision.REJECTED, "bob", now, null, "rejected by bob");
            case EXPIRE -> run.rejected(ApprovalDecision.EXPIRED, null, now, null, "approval_expired");
            case CANCEL -> run.cancelled("cancelled", now);
            case COMPLETE -> run.withStep(completedStep(run, now)).completed(JsonNodeFactory.instance.numberNode(2),
                    now);
            case FAIL -> run.failed("failed", now);
            case ABANDON -> run.abandoned("abandoned", now);
        };
    }

    /** The events the runtime appends with the row's write: a step's own event for RECORD_STEP, else the row's. */
    private static List<JournalEvent> eventsOf(Transition row, Run next) {
        List<EventType> types = row.trigger() == RunTrigger.RECORD_STEP ? List.of(EventType.ofStep(next.step(1)))
                : row.events();
        return types.stream().map(type -> new JournalEvent(type, JsonNodeFactory.instance.objectNode()
                .put("type", type.wireName()))).toList();
    }

    private static StepRecord completedStep(Run run, Instant now) {
        return run.step(1).running(run.step(1).toolInput(), now).completed(JsonNodeFactory.instance.numberNode(2), 1,
                now);
    }

    /** {@code run} with {@code other}'s id (and so its keys in the store). */
    private static Run sameId(Run run, Run other) {
        return new Run(other.runId(), run.prompt(), run.status(), run.planner(), run.fallbackReason(), run.plan(),
                run.executionLog(), run.result(), run.error(), run.usage(), run.createdAt(), run.startedAt(),
                run.completedAt(), run.tenant(), run.planCached(), run.planCacheKey(), run.approval(),
                run.forkedFrom());
    }
}
