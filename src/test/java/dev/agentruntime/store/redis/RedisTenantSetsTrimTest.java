package dev.agentruntime.store.redis;

import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.RunQueue.Submission;
import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestRuns;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: a submission trims its tenant's index and set of unfinished runs only now and then (one in
 * {@link RedisRunQueue#TRIM_EVERY}), which still keeps both from growing with the entries of expired runs.
 */
class RedisTenantSetsTrimTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void theTenantsSetsHoldAtMostABatchOfExpiredEntries() {
        StoreBackends.Fixture store = StoreBackends.Kind.REDIS.open();
        RunQueue queue = store.backend().queue();
        ReactiveRedisDataSource redis = StoreBackends.sharedRedis();
        int batch = RedisRunQueue.TRIM_EVERY;
        for (int i = 0; i < 2 * batch; i++) {
            queue.submit(Submission.of(inPartition(store, 5))).await().atMost(WAIT);
        }
        // Every run so far has expired (by the clock the store trims with); none of them ended.
        store.clock().advance(StoreBackends.Settings.defaults().ttl().plusSeconds(1));
        for (int i = 0; i < batch + 1; i++) {
            queue.submit(Submission.of(inPartition(store, 5))).await().atMost(WAIT);
        }

        // Each partition's sets are trimmed on one in TRIM_EVERY of the submissions to that partition.
        for (String key : new String[] {"test:runs:by-time:{p5}:acme", "test:runs:unfinished:{p5}:acme"}) {
            long size = redis.execute("ZCARD", key).await().atMost(WAIT).toLong();
            // Without trimming: 3 * batch + 1; the trim at submission 2 * batch left only the newer ones.
            assertThat(size).as(key).isEqualTo(batch + 1);
        }
    }

    /** A new run of tenant acme whose id puts it in {@code partition}. */
    private static dev.agentruntime.run.Run inPartition(StoreBackends.Fixture store, int partition) {
        while (true) {
            dev.agentruntime.run.Run run = TestRuns.planned("acme", store.clock().instant());
            if (RunKeys.partition(run.runId()) == partition) {
                return run;
            }
        }
    }
}
