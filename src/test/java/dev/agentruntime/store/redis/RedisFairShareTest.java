package dev.agentruntime.store.redis;

import dev.agentruntime.run.Run;
import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.RunQueue.Submission;
import dev.agentruntime.testing.HoldingConsumer;
import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestJson;
import dev.agentruntime.testing.TestRuns;
import io.vertx.mutiny.redis.client.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 25 on Redis: an entry whose tenant holds its share of an instance's slots waits in that instance only until
 * its next heartbeat, then goes back to the stream, so another instance with room for the tenant runs it: no
 * instance keeps a tenant's runs from the others.
 */
class RedisFairShareTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void entriesWaitingForTheirTenantsTurnGoBackForAnotherInstanceToRun() {
        StoreBackends.Settings settings = StoreBackends.Settings.defaults().withPerTenant(2);
        StoreBackends.Fixture store = StoreBackends.Kind.REDIS.open(settings);
        RunQueue one = store.backend().queue();
        RunQueue two = StoreBackends.anotherRedisInstance(store, settings, "two").queue();
        HoldingConsumer first = new HoldingConsumer();
        HoldingConsumer second = new HoldingConsumer();
        List<Run> runs = new ArrayList<>();
        try {
            one.start(first);
            for (int i = 0; i < 5; i++) {
                Run run = first.expect(second.expect(TestRuns.planned("acme", store.clock().instant())));
                one.submit(Submission.of(run)).await().atMost(WAIT);
                runs.add(run);
            }
            await().atMost(WAIT).until(() -> first.executing("acme") == 2);

            two.start(second);
            // Within a heartbeat of the first (a third of the 2 s claim time), its waiting entries are back.
            await().atMost(WAIT).until(() -> second.executing("acme") == 2);
            assertThat(first.executing("acme")).isEqualTo(2);

            Set<UUID> started = new HashSet<>();
            await().atMost(WAIT).until(() -> {
                first.endAll();
                second.endAll();
                runs.stream().map(Run::runId).filter(id -> first.started(id) || second.started(id))
                        .forEach(started::add);
                return started.size() == runs.size();
            });
            assertThat(first.mostAtOnce("acme")).isEqualTo(2);
            assertThat(second.mostAtOnce("acme")).isEqualTo(2);
            assertThat(runs).noneMatch(run -> first.started(run.runId()) && second.started(run.runId()));
            assertThat(first.startedTwice()).isEmpty();
            assertThat(second.startedTwice()).isEmpty();
            await().atMost(WAIT).until(() -> {
                first.endAll();
                second.endAll();
                return one.depth().await().atMost(WAIT) == 0;
            });
        } finally {
            first.endAll();
            second.endAll();
            one.stop();
            two.stop();
        }
    }

    /**
     * The script that sends waiting entries back moves only those still pending for the consumer that asks: one that
     * another instance claimed meanwhile (this one stalled past the claim time) may be executing there.
     */
    @Test
    void anEntryAnotherConsumerHoldsIsNotSentBack() {
        StoreBackends.Kind.REDIS.open();
        RedisSupport redis = new RedisSupport(StoreBackends.sharedRedis(), TestJson.mapper(), "test:");
        String queue = redis.keys().queue(3);
        String runId = UUID.randomUUID().toString();
        command("XGROUP", "CREATE", queue, RedisRunQueue.GROUP, "0", "MKSTREAM");
        String id = command("XADD", queue, "*", "run_id", runId, "tenant", "acme").toString();
        command("XREADGROUP", "GROUP", RedisRunQueue.GROUP, "x", "COUNT", "1", "STREAMS", queue, ">");
        RedisRunQueue.Entry entry = new RedisRunQueue.Entry(id, UUID.fromString(runId), "acme", 3);

        assertThat(redis.run(RedisRunQueue.requeueCall(queue, "y", List.of(entry))).await().atMost(WAIT).toInteger())
                .isZero();
        assertThat(command("XPENDING", queue, RedisRunQueue.GROUP).get(0).toLong()).isEqualTo(1);

        assertThat(redis.run(RedisRunQueue.requeueCall(queue, "x", List.of(entry))).await().atMost(WAIT).toInteger())
                .isEqualTo(1);
        assertThat(command("XPENDING", queue, RedisRunQueue.GROUP).get(0).toLong()).isZero();
        Response entries = command("XRANGE", queue, "-", "+");
        assertThat(entries.size()).isEqualTo(1);
        assertThat(entries.get(0).get(0).toString()).as("a new entry at the tail").isNotEqualTo(id);
        assertThat(entries.get(0).get(1).toString()).isEqualTo("[run_id, " + runId + ", tenant, acme]");
    }

    private static Response command(String name, String... args) {
        return StoreBackends.sharedRedis().execute(name, args).await().atMost(WAIT);
    }
}
