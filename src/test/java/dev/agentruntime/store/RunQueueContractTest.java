package dev.agentruntime.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentruntime.run.CapacityExceededException;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.RateLimitedException;
import dev.agentruntime.run.Run;
import dev.agentruntime.testing.HoldingConsumer;
import dev.agentruntime.testing.OnEveryBackend;
import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestRuns;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
                queue.submit(run).await().atMost(WAIT);
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
        queue.submit(TestRuns.planned("acme", store.clock().instant())).await().atMost(WAIT);
        Run refused = TestRuns.planned("acme", store.clock().instant());

        assertThatThrownBy(() -> queue.submit(refused).await().atMost(WAIT))
                .isInstanceOf(CapacityExceededException.class);
        assertThat(store.backend().runs().find(refused.runId()).await().atMost(WAIT)).isEmpty();
    }

    /** Issue 13, item 3: one client's 1,000 long runs locked every tenant out. */
    @OnEveryBackend
    void aTenantWithItsMaximumOfUnfinishedRunsWaitsWhileOthersGoOn(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open(StoreBackends.Settings.defaults().withMaxUnfinished(2));
        RunQueue queue = store.backend().queue();
        Run first = TestRuns.planned("acme", store.clock().instant());
        queue.submit(first).await().atMost(WAIT);
        queue.submit(TestRuns.planned("acme", store.clock().instant())).await().atMost(WAIT);
        Run third = TestRuns.planned("acme", store.clock().instant());

        assertThatThrownBy(() -> queue.submit(third).await().atMost(WAIT))
                .isInstanceOfSatisfying(RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).hasValueSatisfying(wait -> assertThat(wait).isPositive()));
        assertThat(store.backend().runs().find(third.runId()).await().atMost(WAIT)).isEmpty();
        queue.submit(TestRuns.planned("globex", store.clock().instant())).await().atMost(WAIT);

        Run ended = first.started(store.clock().instant()).failed("done", store.clock().instant());
        store.backend().journal().record(ended, EventType.RUN_FAILED, JsonNodeFactory.instance.objectNode())
                .await().atMost(WAIT);
        queue.submit(third).await().atMost(WAIT);
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
        queue.submit(TestRuns.planned("acme", store.clock().instant())).await().atMost(WAIT);
        queue.submit(TestRuns.planned("acme", store.clock().instant())).await().atMost(WAIT);
        assertThatThrownBy(() -> queue.submit(TestRuns.planned("acme", store.clock().instant()))
                .await().atMost(WAIT)).isInstanceOf(RateLimitedException.class);

        store.clock().advance(StoreBackends.Settings.defaults().ttl().plusSeconds(1));
        Run later = TestRuns.planned("acme", store.clock().instant());
        queue.submit(later).await().atMost(WAIT);

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
                queue.submit(run).await().atMost(WAIT);
                acme.add(run);
            }
            await().atMost(WAIT).until(() -> consumer.executing("acme") == 3);
            Run other = consumer.expect(TestRuns.planned("globex", store.clock().instant()));
            queue.submit(other).await().atMost(WAIT);

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
