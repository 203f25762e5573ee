package dev.agentruntime.store.redis;

import dev.agentruntime.run.Run;
import dev.agentruntime.run.StoreUnavailableException;
import dev.agentruntime.store.RunQueue.Submission;
import dev.agentruntime.store.RunStore;
import dev.agentruntime.testing.RedisCluster;
import dev.agentruntime.testing.RedisProcess;
import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestRuns;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 31, item 4: on a Redis Cluster the store's memory admission, its health and its figures look at every
 * primary, not at whichever node a keyless command reaches (the cluster client sends {@code INFO} to any one).
 */
class RedisClusterNodesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Each primary in turn is made nearly full: every submission is refused, whatever its partition's node. */
    @Test
    void newRunsAreRefusedWhileAnyPrimaryIsNearlyFull() throws Exception {
        RedisCluster cluster = StoreBackends.sharedCluster();
        for (RedisProcess primary : cluster.primaries()) {
            StoreBackends.Fixture store = StoreBackends.Kind.REDIS_CLUSTER.open();
            long used = Long.parseLong(field(primary.bulk("INFO", "memory"), "used_memory"));
            // Within the fixtures' 5 % headroom, below what the node uses in a moment plus a few runs.
            primary.command("CONFIG", "SET", "maxmemory", Long.toString(used + used / 50));
            try {
                // The first submission is admitted on no reading and asks for one; the next is decided by it.
                store.backend().queue().submit(Submission.of(TestRuns.planned("acme", store.clock().instant()))).await()
                        .atMost(WAIT);
                Thread.sleep(300);
                Run next = TestRuns.planned("acme", store.clock().instant());
                assertThatThrownBy(() -> store.backend().queue().submit(Submission.of(next)).await().atMost(WAIT))
                        .as("a submission while primary %d is nearly full", primary.port())
                        .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("nearly full");
            } finally {
                primary.command("CONFIG", "SET", "maxmemory", "0");
            }
        }
    }

    @Test
    void theFiguresListEveryPrimaryAndFailWhileTheClusterIsNotOk() throws Exception {
        StoreBackends.Fixture store = StoreBackends.Kind.REDIS_CLUSTER.open();
        RedisCluster cluster = StoreBackends.sharedCluster();
        for (int i = 0; i < 20; i++) {
            store.backend().queue().submit(Submission.of(TestRuns.planned("acme", store.clock().instant()))).await()
                    .atMost(WAIT);
        }
        List<RunStore.NodeFigures> nodes = store.backend().runs().nodes().await().atMost(WAIT);
        List<RedisProcess> primaries = cluster.primaries();
        long keys = 0;
        for (RedisProcess primary : primaries) {
            keys += Long.parseLong(primary.command("DBSIZE").substring(1));
        }
        assertThat(nodes).extracting(RunStore.NodeFigures::node).containsExactlyInAnyOrderElementsOf(
                primaries.stream().map(primary -> "127.0.0.1:" + primary.port()).toList());
        assertThat(nodes).allMatch(RunStore.NodeFigures::clusterOk).allMatch(node -> node.usedMemory() > 0);
        assertThat(nodes.stream().mapToLong(RunStore.NodeFigures::keys).sum()).isEqualTo(keys);

        // A slot no primary serves: the cluster is not whole (cluster_state:fail) until it is served again. The
        // primary that sees it refuses its partitions' commands (CLUSTERDOWN), which the figures say.
        RedisProcess primary = primaries.get(0);
        String slot = ownSlot(primary);
        primary.command("CLUSTER", "DELSLOTS", slot);
        try {
            assertThatThrownBy(() -> store.backend().runs().nodes().await().atMost(WAIT))
                    .isInstanceOf(StoreUnavailableException.class).hasStackTraceContaining("CLUSTERDOWN");
        } finally {
            primary.command("CLUSTER", "ADDSLOTS", slot);
            cluster.awaitState(Duration.ofSeconds(20));
        }
        assertThat(store.backend().runs().nodes().await().atMost(WAIT)).allMatch(RunStore.NodeFigures::clusterOk);
    }

    @Test
    void oneRedisIsItsOwnOnlyPrimary() {
        StoreBackends.Fixture store = StoreBackends.Kind.REDIS.open();
        store.backend().queue().submit(Submission.of(TestRuns.planned("acme", store.clock().instant()))).await()
                .atMost(WAIT);
        List<RunStore.NodeFigures> nodes = store.backend().runs().nodes().await().atMost(WAIT);
        assertThat(nodes).singleElement().satisfies(node -> {
            assertThat(node.keys()).isPositive();
            assertThat(node.clusterOk()).isTrue();
        });
    }

    /** The first slot of the node's first range in {@code CLUSTER MYSHARDID}-free terms: from CLUSTER NODES. */
    private static String ownSlot(RedisProcess primary) throws Exception {
        for (String line : primary.bulk("CLUSTER", "NODES").split("\n")) {
            if (line.contains("myself")) {
                String[] fields = line.strip().split(" ");
                return fields[8].split("-")[0];
            }
        }
        throw new AssertionError("no myself line");
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        throw new AssertionError(name + " not in " + info);
    }
}
