package dev.agentruntime.store.redis;

import dev.agentruntime.run.Run;
import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.RunQueue.Submission;
import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestJson;
import dev.agentruntime.testing.TestRuns;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17: an executing instance takes the entry of a run it submits in the submission's own script. Taking is a
 * bonus: when it cannot happen (here, the queue's group was lost), the submission still succeeds and the reader
 * takes the run as before.
 */
class RedisSubmitTakesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aSubmissionSucceedsWhenItCannotTakeAndTheRunStillExecutes() {
        StoreBackends.Fixture store = StoreBackends.Kind.REDIS.open();
        RunQueue queue = store.backend().queue();
        Map<UUID, Boolean> processed = new ConcurrentHashMap<>();
        try {
            queue.start(new RunQueue.Consumer() {
                public Uni<Void> process(UUID runId, Run submitted) {
                    processed.put(runId, submitted != null);
                    return Uni.createFrom().voidItem();
                }

                public Uni<Void> abandon(UUID runId, int deliveries) {
                    return Uni.createFrom().voidItem();
                }
            });
            Run first = TestRuns.planned("acme", store.clock().instant());
            queue.submit(Submission.of(first)).await().atMost(WAIT);
            await().atMost(WAIT).until(() -> processed.containsKey(first.runId()));
            // A run this instance submitted is handed over as submitted, not read back.
            assertThat(processed.get(first.runId())).isTrue();

            // As after a Redis restart without persistence: the queue's group is gone, the instance does not know.
            Run second = TestRuns.planned("acme", store.clock().instant());
            StoreBackends.sharedRedis().execute("XGROUP", "DESTROY",
                            "test:runs:queue:{p" + RunKeys.partition(second.runId()) + "}", RedisRunQueue.GROUP)
                    .await().atMost(WAIT);
            queue.submit(Submission.of(second)).await().atMost(WAIT);

            assertThat(store.backend().runs().find(second.runId()).await().atMost(WAIT)).isPresent();
            await().atMost(WAIT).until(() -> processed.containsKey(second.runId()));
        } finally {
            queue.stop();
        }
    }

    /**
     * The instance may learn that the group is gone only after its submission asked to take: the script has stored
     * and queued the run by then, and must answer that it did rather than fail (the client would be told the run
     * was not created, and it would run anyway).
     */
    @Test
    void theSubmitScriptStoresAndQueuesTheRunWhenTheGroupIsGone() {
        StoreBackends.Fixture store = StoreBackends.Kind.REDIS.open();
        RedisSupport redis = new RedisSupport(StoreBackends.sharedRedis(), TestJson.mapper(), "test:");
        Run run = TestRuns.planned("acme", store.clock().instant());

        int partition = RunKeys.partition(run.runId());
        Response reply = redis.run(RedisRunQueue.submitCall(RunWrite.of(redis, run, Duration.ofHours(1),
                        store.clock()), redis.keys().queue(partition), redis.keys().unfinished(partition, "acme"), 100,
                        -1, true, false, "someone", "acme"))
                .await().atMost(WAIT);

        assertThat(reply.toInteger()).isEqualTo(1);
        assertThat(store.backend().runs().find(run.runId()).await().atMost(WAIT)).isPresent();
        assertThat(StoreBackends.sharedRedis().execute("XLEN", redis.keys().queue(partition)).await().atMost(WAIT)
                .toLong())
                .isEqualTo(1);
    }

    /**
     * Issue 32 (ADR 0035): a submission whose instance would start its run takes the oldest unread entry first; when
     * that is an older run's, the queue's order holds: the older run is the one handed out, and the new run is stored
     * pending, with no event, for whoever takes it next.
     */
    @Test
    void aSubmissionThatTakesAnOlderEntryLeavesItsRunPendingForItsTurn() {
        StoreBackends.Fixture store = StoreBackends.Kind.REDIS.open();
        RedisSupport redis = new RedisSupport(StoreBackends.sharedRedis(), TestJson.mapper(), "test:");
        Run older = TestRuns.planned("acme", store.clock().instant());
        Run run = Run.planned(RunKeys.inPartitionOf(older.runId()), "acme", "calculate 1 + 1", dev.agentruntime.run.PlanningOutcome.byRules(older.plan(), null),
                store.clock().instant());
        int partition = RunKeys.partition(older.runId());
        String queue = redis.keys().queue(partition);
        createGroup(queue);
        // Queued by an instance that takes nothing (it does not execute runs): its entry waits unread.
        assertThat(submit(redis, store, older, null, null).toInteger()).isEqualTo(1);

        Response reply = submit(redis, store, run, "me", startOf(redis, run, store));

        assertThat(reply.get(0).toInteger()).as("an entry taken, not this run started").isEqualTo(1);
        assertThat(reply.get(2).toString()).isEqualTo(older.runId().toString());
        assertThat(TestRuns.json(store.backend().runs().find(run.runId()).await().atMost(WAIT).orElseThrow()))
                .isEqualTo(TestRuns.json(run));
        assertThat(store.backend().events().replay(run.runId(), null).collect().asList().await().atMost(WAIT))
                .isEmpty();
        assertThat(StoreBackends.sharedRedis().execute("XLEN", queue).await().atMost(WAIT).toLong()).isEqualTo(2);
        // The new run's entry is still unread: the next reader (here, the next submission) gets it.
        Response next = submit(redis, store, Run.planned(RunKeys.inPartitionOf(older.runId()), "acme", "calculate",
                dev.agentruntime.run.PlanningOutcome.byRules(older.plan(), null), store.clock().instant()), "me", null);
        assertThat(next.get(2).toString()).isEqualTo(run.runId().toString());
    }

    /** Issue 32: with no older entry unread, the submission stores its run started, with its events, and takes it. */
    @Test
    void aSubmissionWhoseEntryIsTheOldestUnreadStoresItsRunStartedAndTakesIt() {
        StoreBackends.Fixture store = StoreBackends.Kind.REDIS.open();
        RedisSupport redis = new RedisSupport(StoreBackends.sharedRedis(), TestJson.mapper(), "test:");
        Run run = TestRuns.planned("acme", store.clock().instant());
        String queue = redis.keys().queue(RunKeys.partition(run.runId()));
        createGroup(queue);
        RedisRunQueue.SubmitExtra start = startOf(redis, run, store);

        Response reply = submit(redis, store, run, "me", start);

        assertThat(reply.get(0).toInteger()).isEqualTo(2);
        assertThat(reply.get(2).toString()).isEqualTo(run.runId().toString());
        Run stored = store.backend().runs().find(run.runId()).await().atMost(WAIT).orElseThrow();
        assertThat(stored.status()).isEqualTo(dev.agentruntime.run.RunStatus.RUNNING);
        assertThat(redis.writeRun(stored)).isEqualTo(start.startedJson());
        assertThat(store.backend().events().replay(run.runId(), null).collect().asList().await().atMost(WAIT))
                .extracting(dev.agentruntime.run.RunEvent::type)
                .containsExactly(dev.agentruntime.run.EventType.RUN_STARTED);
        // Taken by "me" in the same write: pending for it, unread by anyone else.
        Response pending = StoreBackends.sharedRedis().execute("XPENDING", queue, RedisRunQueue.GROUP)
                .await().atMost(WAIT);
        assertThat(pending.get(0).toLong()).isEqualTo(1);
        assertThat(pending.get(3).get(0).get(0).toString()).isEqualTo("me");
    }

    private static void createGroup(String queue) {
        StoreBackends.sharedRedis().execute("XGROUP", "CREATE", queue, RedisRunQueue.GROUP, "0", "MKSTREAM")
                .onFailure().recoverWithNull().await().atMost(WAIT);
    }

    private static Response submit(RedisSupport redis, StoreBackends.Fixture store, Run run, String taker,
                                   RedisRunQueue.SubmitExtra extra) {
        int partition = RunKeys.partition(run.runId());
        return redis.run(RedisRunQueue.submitCall(RunWrite.of(redis, run, Duration.ofHours(1), store.clock()),
                redis.keys().queue(partition), redis.keys().unfinished(partition, run.tenant()), 100, -1, true, false,
                taker, run.tenant(), extra)).await().atMost(WAIT);
    }

    /** The run's start as the submitting instance's executor would make it: started, with its run_started. */
    private static RedisRunQueue.SubmitExtra startOf(RedisSupport redis, Run run, StoreBackends.Fixture store) {
        Run started = run.started(store.clock().instant());
        dev.agentruntime.store.JournalEvent event = new dev.agentruntime.store.EventPayloads(TestJson.mapper())
                .journal(dev.agentruntime.run.RunEventBody.started(started));
        return RedisRunQueue.SubmitExtra.start(redis.keys().events(run.runId()), redis.writeRun(started),
                java.util.List.of(event.type().wireName(), redis.writeEvent(event.data())));
    }
}
