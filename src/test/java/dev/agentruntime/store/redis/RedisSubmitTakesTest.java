package dev.agentruntime.store.redis;

import dev.agentruntime.run.Run;
import dev.agentruntime.store.RunQueue;
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
            queue.submit(first).await().atMost(WAIT);
            await().atMost(WAIT).until(() -> processed.containsKey(first.runId()));
            // A run this instance submitted is handed over as submitted, not read back.
            assertThat(processed.get(first.runId())).isTrue();

            // As after a Redis restart without persistence: the queue's group is gone, the instance does not know.
            Run second = TestRuns.planned("acme", store.clock().instant());
            StoreBackends.sharedRedis().execute("XGROUP", "DESTROY",
                            "test:runs:queue:{p" + RunKeys.partition(second.runId()) + "}", RedisRunQueue.GROUP)
                    .await().atMost(WAIT);
            queue.submit(second).await().atMost(WAIT);

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
}
