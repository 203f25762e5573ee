package dev.agentruntime.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentruntime.run.CapacityExceededException;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.RateLimitedException;
import dev.agentruntime.run.Run;
import dev.agentruntime.store.RunQueue.Submission;
import dev.agentruntime.testing.HoldingConsumer;
import dev.agentruntime.testing.OnEveryBackend;
import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestRuns;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static dev.agentruntime.testing.TestRuns.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What every {@link RunQueue} does: a submitted run is stored and handed to the consumer; a full queue refuses. */
class RunQueueContractTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @OnEveryBackend
    void aSubmittedRunIsStoredAndHandedToTheConsumerOnce(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        RunQueue queue = store.backend().queue();
        Set<UUID> processed = ConcurrentHashMap.newKeySet();
        List<Run> runs = List.of(TestRuns.planned("acme", store.clock().instant()),
                TestRuns.planned("acme", store.clock().instant()));
        try {
            queue.start(new RunQueue.Consumer() {
                public Uni<Void> process(UUID runId, Run submitted) {
                    assertThat(processed.add(runId)).as("handed out once").isTrue();
                    // A run handed with its submission is that run, as submitted.
                    if (submitted != null) {
                        assertThat(submitted.runId()).isEqualTo(runId);
                    }
                    return Uni.createFrom().voidItem();
                }

                public Uni<Void> abandon(UUID runId, int deliveries) {
                    return Uni.createFrom().voidItem();
                }
            });
            for (Run run : runs) {
                queue.submit(Submission.of(run)).await().atMost(WAIT);
                assertThat(json(store.backend().runs().find(run.runId()).await().atMost(WAIT).orElseThrow()))
                        .isEqualTo(json(run));
            }
            await().atMost(WAIT).until(() -> processed.size() == 2);
            assertThat(processed).containsExactlyInAnyOrder(runs.get(0).runId(), runs.get(1).runId());
            await().atMost(WAIT).until(() -> queue.depth().await().atMost(WAIT) == 0);
        } finally {
            queue.stop();
        }
    }

    @OnEveryBackend
    void aFullQueueRefusesAndStoresNothing(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open(StoreBackends.Settings.defaults().withMaxQueued(1));
        RunQueue queue = store.backend().queue();
        queue.submit(Submission.of(TestRuns.planned("acme", store.clock().instant()))).await().atMost(WAIT);
        Run refused = TestRuns.planned("acme", store.clock().instant());

        assertThatThrownBy(() -> queue.submit(Submission.of(refused)).await().atMost(WAIT))
                .isInstanceOf(CapacityExceededException.class);
        assertThat(store.backend().runs().find(refused.runId()).await().atMost(WAIT)).isEmpty();
    }

    /**
     * Issue 30: a fork is stored with its first events and in its source's forks in the same step as its queueing
     * (on Redis one script; on a cluster its id shares its source's slot, or the script could not run).
     */
    @OnEveryBackend
    void aForkIsStoredWithItsEventsAndInItsSourcesForksInOneStep(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        RunQueue queue = store.backend().queue();
        Run source = failedTwoStepRun(store.clock().instant());
        store.backend().runs().save(source).await().atMost(WAIT);

        Run fork = forkOf(queue, source, store.clock().instant());
        queue.submitFork(fork, forkEvents(fork)).await().atMost(WAIT);

        assertThat(json(store.backend().runs().find(fork.runId()).await().atMost(WAIT).orElseThrow()))
                .isEqualTo(json(fork));
        assertThat(store.backend().events().replay(fork.runId(), null).collect().asList().await().atMost(WAIT))
                .extracting(dev.agentruntime.run.RunEvent::type)
                .containsExactly(EventType.RUN_FORKED, EventType.STEP_COMPLETED);
        assertThat(store.backend().runs().forks(source, 10, 0).await().atMost(WAIT)).extracting(Run::runId)
                .containsExactly(fork.runId());
        Run second = forkOf(queue, source, store.clock().instant().plusMillis(5));
        queue.submitFork(second, forkEvents(second)).await().atMost(WAIT);
        assertThat(store.backend().runs().forks(source, 10, 0).await().atMost(WAIT)).extracting(Run::runId)
                .containsExactly(second.runId(), fork.runId());
        assertThat(store.backend().runs().forks(source, 1, 1).await().atMost(WAIT)).extracting(Run::runId)
                .containsExactly(fork.runId());
        assertThat(store.backend().runs().forks(fork, 10, 0).await().atMost(WAIT)).isEmpty();
    }

    @OnEveryBackend
    void aForkTheQueueRefusesLeavesNothingBehind(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open(StoreBackends.Settings.defaults().withMaxQueued(1));
        RunQueue queue = store.backend().queue();
        queue.submit(Submission.of(TestRuns.planned("acme", store.clock().instant()))).await().atMost(WAIT);
        Run source = failedTwoStepRun(store.clock().instant());
        store.backend().runs().save(source).await().atMost(WAIT);
        Run refused = forkOf(queue, source, store.clock().instant());

        assertThatThrownBy(() -> queue.submitFork(refused, forkEvents(refused)).await().atMost(WAIT))
                .isInstanceOf(CapacityExceededException.class);
        assertThat(store.backend().runs().find(refused.runId()).await().atMost(WAIT)).isEmpty();
        assertThat(store.backend().events().replay(refused.runId(), null).collect().asList().await().atMost(WAIT))
                .isEmpty();
        assertThat(store.backend().runs().forks(source, 10, 0).await().atMost(WAIT)).isEmpty();
    }

    /** Step 1 completed, step 2 failed. */
    private static Run failedTwoStepRun(java.time.Instant now) {
        Run one = TestRuns.planned("acme", now);
        dev.agentruntime.run.PlanStep first = one.plan().steps().get(0);
        dev.agentruntime.run.PlanStep second = new dev.agentruntime.run.PlanStep(2, "calculator",
                JsonNodeFactory.instance.objectNode().put("expression", "1 / 0"), "test", null);
        Run run = Run.planned(UUID.randomUUID(), "acme", "calculate 1 + 1 then 1 / 0",
                dev.agentruntime.run.PlanningOutcome.byRules(new dev.agentruntime.run.Plan(List.of(first, second)),
                        null), now).started(now);
        run = run.withStep(run.step(1).running(first.toolInput(), now).completed(JsonNodeFactory.instance
                .numberNode(2), 1, now.plusMillis(1)));
        run = run.withStep(run.step(2).running(second.toolInput(), now).failed("division by zero", 1,
                now.plusMillis(2)));
        return run.failed("step 2 (calculator) failed: division by zero", now.plusMillis(3));
    }

    private static Run forkOf(RunQueue queue, Run source, java.time.Instant now) {
        return Run.forked(queue.forkId(source.runId()), source, new dev.agentruntime.run.ForkedFrom(source.runId(),
                2, null), Set.of(1), null, now);
    }

    private static List<JournalEvent> forkEvents(Run fork) {
        EventPayloads payloads = new EventPayloads(dev.agentruntime.testing.TestJson.mapper());
        return List.of(payloads.journal(dev.agentruntime.run.RunEventBody.forked(fork)),
                payloads.journal(dev.agentruntime.run.RunEventBody.stepEnded(fork, fork.step(1))));
    }

    /**
     * Issue 32 (ADR 0035): a run submitted with its start is handed out once, as it is stored. On Redis, whose
     * submission writes the start when this instance takes the run's entry at once, it is stored started with its
     * start's events and handed to {@code proceed}; in memory, where no write costs an fsync and the executor starts
     * the run as before, it is stored pending and handed to {@code process}.
     */
    @OnEveryBackend
    void aRunSubmittedWithItsStartIsHandedOutOnceAsItIsStored(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open();
        RunQueue queue = store.backend().queue();
        Map<UUID, List<String>> handed = new ConcurrentHashMap<>();
        try {
            queue.start(new RunQueue.Consumer() {
                public Uni<Void> process(UUID runId, Run submitted) {
                    handed.computeIfAbsent(runId, id -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add("process");
                    return Uni.createFrom().voidItem();
                }

                public Uni<Void> proceed(RunQueue.Start start) {
                    handed.computeIfAbsent(start.started().runId(),
                            id -> new java.util.concurrent.CopyOnWriteArrayList<>()).add("proceed");
                    return Uni.createFrom().voidItem();
                }

                public Uni<Void> abandon(UUID runId, int deliveries) {
                    return Uni.createFrom().voidItem();
                }
            });
            // A first run, handed out once the queue executes (on Redis, once its group is there).
            Run first = TestRuns.planned("acme", store.clock().instant());
            queue.submit(Submission.of(first)).await().atMost(WAIT);
            await().atMost(WAIT).until(() -> handed.containsKey(first.runId()));

            Run run = TestRuns.planned("acme", store.clock().instant());
            Run started = run.started(store.clock().instant());
            EventPayloads payloads = new EventPayloads(dev.agentruntime.testing.TestJson.mapper());
            TestStart start = new TestStart(started, List.of(payloads.journal(
                    dev.agentruntime.run.RunEventBody.started(started))));
            queue.submit(Submission.of(run).startingWith(() -> start)).await().atMost(WAIT);

            await().atMost(WAIT).until(() -> handed.containsKey(run.runId()));
            await().atMost(WAIT).until(() -> queue.depth().await().atMost(WAIT) == 0);
            Run stored = store.backend().runs().find(run.runId()).await().atMost(WAIT).orElseThrow();
            List<EventType> events = store.backend().events().replay(run.runId(), null).collect().asList()
                    .await().atMost(WAIT).stream().map(dev.agentruntime.run.RunEvent::type).toList();
            if (kind == StoreBackends.Kind.MEMORY) {
                assertThat(handed.get(run.runId())).containsExactly("process");
                assertThat(json(stored)).isEqualTo(json(run));
                assertThat(events).isEmpty();
            } else {
                assertThat(handed.get(run.runId())).containsExactly("proceed");
                assertThat(json(stored)).isEqualTo(json(started));
                assertThat(events).containsExactly(EventType.RUN_STARTED);
            }
        } finally {
            queue.stop();
        }
    }

    /** A start as an executor makes it (see RunExecutor#startOf). */
    private record TestStart(Run started, List<JournalEvent> events) implements RunQueue.Start {
    }

    /** Issue 13, item 3: one client's 1,000 long runs locked every tenant out. */
    @OnEveryBackend
    void aTenantWithItsMaximumOfUnfinishedRunsWaitsWhileOthersGoOn(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open(StoreBackends.Settings.defaults().withMaxUnfinished(2));
        RunQueue queue = store.backend().queue();
        Run first = TestRuns.planned("acme", store.clock().instant());
        queue.submit(Submission.of(first)).await().atMost(WAIT);
        queue.submit(Submission.of(TestRuns.planned("acme", store.clock().instant()))).await().atMost(WAIT);
        Run third = TestRuns.planned("acme", store.clock().instant());

        assertThatThrownBy(() -> queue.submit(Submission.of(third)).await().atMost(WAIT))
                .isInstanceOfSatisfying(RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).hasValueSatisfying(wait -> assertThat(wait).isPositive()));
        assertThat(store.backend().runs().find(third.runId()).await().atMost(WAIT)).isEmpty();
        queue.submit(Submission.of(TestRuns.planned("globex", store.clock().instant()))).await().atMost(WAIT);

        Run ended = first.started(store.clock().instant()).failed("done", store.clock().instant());
        store.backend().journal().record(ended, List.of(new JournalEvent(EventType.RUN_FAILED,
                JsonNodeFactory.instance.objectNode()))).await().atMost(WAIT);
        queue.submit(Submission.of(third)).await().atMost(WAIT);
        assertThat(store.backend().runs().find(third.runId()).await().atMost(WAIT)).isPresent();
    }

    /**
     * Runs that expired unfinished (every executor that took them died) stop counting against the maximum: the
     * Redis submission counts first and drops them only when the count is at the maximum (issue 17).
     */
    @OnEveryBackend
    void runsThatExpiredUnfinishedNoLongerCountAgainstTheMaximum(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open(StoreBackends.Settings.defaults().withMaxUnfinished(2));
        RunQueue queue = store.backend().queue();
        queue.submit(Submission.of(TestRuns.planned("acme", store.clock().instant()))).await().atMost(WAIT);
        queue.submit(Submission.of(TestRuns.planned("acme", store.clock().instant()))).await().atMost(WAIT);
        assertThatThrownBy(() -> queue.submit(Submission.of(TestRuns.planned("acme", store.clock().instant())))
                .await().atMost(WAIT)).isInstanceOf(RateLimitedException.class);

        store.clock().advance(StoreBackends.Settings.defaults().ttl().plusSeconds(1));
        Run later = TestRuns.planned("acme", store.clock().instant());
        queue.submit(Submission.of(later)).await().atMost(WAIT);

        assertThat(store.backend().runs().find(later.runId()).await().atMost(WAIT)).isPresent();
    }

    /**
     * Issue 25: one tenant's 100 long waits held every executor slot, and another tenant's run waited for one of
     * them to end (59.5 s in memory; still pending after 30 s on Redis). A tenant holds at most its share of the
     * slots, its other runs wait without standing in the way, and another tenant's run starts in a free slot at once.
     */
    @OnEveryBackend
    void aTenantAtItsShareLeavesTheOtherSlotsToOtherTenants(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open(StoreBackends.Settings.defaults().withPerTenant(3));
        RunQueue queue = store.backend().queue();
        HoldingConsumer consumer = new HoldingConsumer();
        List<Run> acme = new ArrayList<>();
        try {
            queue.start(consumer);
            for (int i = 0; i < 6; i++) {
                Run run = consumer.expect(TestRuns.planned("acme", store.clock().instant()));
                queue.submit(Submission.of(run)).await().atMost(WAIT);
                acme.add(run);
            }
            await().atMost(WAIT).until(() -> consumer.executing("acme") == 3);
            Run other = consumer.expect(TestRuns.planned("globex", store.clock().instant()));
            queue.submit(Submission.of(other)).await().atMost(WAIT);

            await().atMost(WAIT).until(() -> consumer.started(other.runId()));
            assertThat(consumer.executing("acme")).isEqualTo(3);

            // As acme's runs end, its waiting ones take their slots, oldest first.
            for (int round = 0; round < 6; round++) {
                int ended = round;
                acme.stream().filter(run -> consumer.started(run.runId())).limit(1 + ended)
                        .forEach(run -> consumer.end(run.runId()));
                await().atMost(WAIT).until(() -> acme.stream().filter(run -> consumer.started(run.runId())).count()
                        >= Math.min(6, 4 + ended));
            }
            await().atMost(WAIT).until(() -> acme.stream().allMatch(run -> consumer.started(run.runId())));
            assertThat(consumer.mostAtOnce("acme")).isEqualTo(3);
            assertThat(consumer.startedTwice()).isEmpty();
            consumer.endAll();
            await().atMost(WAIT).until(() -> queue.depth().await().atMost(WAIT) == 0);
        } finally {
            consumer.endAll();
            queue.stop();
        }
    }
}
