package dev.agentruntime.store.redis;

import dev.agentruntime.run.Run;
import dev.agentruntime.run.StoreUnavailableException;
import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.RunQueue.Submission;
import dev.agentruntime.testing.RedisCluster;
import dev.agentruntime.testing.RedisProcess;
import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestRuns;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Issue 31, item 3: a primary of the cluster is killed (SIGKILL) while runs of its partitions wait in their queues.
 * A write to its partitions meanwhile fails as the store being unavailable (the API's 503 with Retry-After), writes
 * nothing, and succeeds again once its replica has taken over; the queued runs of its partitions are then delivered,
 * from the promoted replica, whose script cache is empty. Prints the figures: runs lost, and how long the
 * partitions refused writes.
 */
class RedisClusterFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int RUNS = 64;

    @Test
    void theRunsOfAKilledPrimarysPartitionsAreDeliveredOnceItsReplicaTookOver() throws Exception {
        StoreBackends.Fixture store = StoreBackends.Kind.REDIS_CLUSTER.open();
        RedisCluster cluster = StoreBackends.sharedCluster();
        RedisKeysOf keys = new RedisKeysOf();
        RedisProcess victim = cluster.primaries().get(cluster.primaries().size() - 1);
        Set<Integer> lostPartitions = new HashSet<>();
        for (int partition : RunKeys.partitions()) {
            if (!victim.command("EXISTS", keys.queue(partition)).startsWith("-MOVED")) {
                lostPartitions.add(partition);
            }
        }
        assertThat(lostPartitions).isNotEmpty();
        RunQueue queue = store.backend().queue();
        List<UUID> submitted = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            Run run = TestRuns.planned("acme", store.clock().instant());
            queue.submit(Submission.of(run)).await().atMost(WAIT);
            submitted.add(run.runId());
        }
        long onVictim = submitted.stream().filter(id -> lostPartitions.contains(RunKeys.partition(id))).count();
        // Replication is asynchronous: what the primary acknowledged a moment ago may not be on its replica yet.
        Thread.sleep(500);

        victim.kill();
        long killedAt = System.nanoTime();
        Run refused = inPartitionOf(store, lostPartitions);
        assertThatThrownBy(() -> queue.submit(Submission.of(refused)).await().atMost(WAIT))
                .isInstanceOf(StoreUnavailableException.class);

        cluster.awaitState(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> {
                    queue.submit(Submission.of(refused)).await().atMost(WAIT);
                    return true;
                });
        double unavailableSeconds = (System.nanoTime() - killedAt) / 1e9;
        submitted.add(refused.runId());

        Set<UUID> delivered = ConcurrentHashMap.newKeySet();
        queue.start(new RunQueue.Consumer() {
            public Uni<Void> process(UUID runId, Run run) {
                delivered.add(runId);
                return Uni.createFrom().voidItem();
            }

            public Uni<Void> abandon(UUID runId, int deliveries) {
                return Uni.createFrom().voidItem();
            }
        });
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> delivered.containsAll(submitted));
        } finally {
            queue.stop();
            System.out.printf("failover: %d of %d queued runs on the killed primary's %d partitions; lost %d; "
                            + "its partitions refused writes for %.1f s%n", onVictim, RUNS, lostPartitions.size(),
                    submitted.stream().filter(id -> !delivered.contains(id)).count(), unavailableSeconds);
            // The node comes back as a replica of the one that took over: the cluster is whole for the next test.
            victim.start();
            cluster.awaitState(Duration.ofSeconds(30));
        }
        assertThat(delivered).containsAll(submitted);
    }

    /** A new run whose id puts it in one of {@code partitions}. */
    private static Run inPartitionOf(StoreBackends.Fixture store, Set<Integer> partitions) {
        while (true) {
            Run run = TestRuns.planned("acme", store.clock().instant());
            if (partitions.contains(RunKeys.partition(run.runId()))) {
                return run;
            }
        }
    }

    /** The fixtures' key names (prefix {@code test:}). */
    private static final class RedisKeysOf {
        private final RunKeys keys = new RunKeys(new dev.agentruntime.redis.KeySpace("test:"));

        String queue(int partition) {
            return keys.queue(partition);
        }
    }
}
