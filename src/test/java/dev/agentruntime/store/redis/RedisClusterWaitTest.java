package dev.agentruntime.store.redis;

import dev.agentruntime.run.Run;
import dev.agentruntime.store.RunQueue.Submission;
import dev.agentruntime.testing.RedisCluster;
import dev.agentruntime.testing.RedisProcess;
import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestRuns;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 31: with {@code agent.store.redis-wait-replicas=1} a submission is acknowledged only once a replica of its
 * partition's primary has it: {@code WAIT 1 <timeout>} follows the submission's script on the same connection (WAIT
 * waits for that connection's own writes; on another it would return at once), and the replica holds the run the
 * moment the submission has answered. What the primary executed is read with {@code MONITOR}, whose lines name the
 * client's address.
 */
class RedisClusterWaitTest {

    @Test
    void theSubmissionsScriptIsFollowedByWaitOnItsOwnConnection() throws Exception {
        StoreBackends.Fixture store = StoreBackends.openCluster(new RedisSupport.Replicas(1, Duration.ofSeconds(5)));
        RedisCluster cluster = StoreBackends.sharedCluster();
        Run run = TestRuns.planned("acme", store.clock().instant());
        String key = new RunKeys(new dev.agentruntime.redis.KeySpace("test:")).run(run.runId());
        RedisProcess primary = cluster.primaryFor(key);
        RedisProcess replica = replicaOf(cluster, primary);

        List<String> executed;
        String onReplica;
        try (RedisProcess.Monitor monitor = primary.monitor()) {
            store.backend().queue().submit(Submission.of(run)).await().atMost(Duration.ofSeconds(10));
            onReplica = replica.command("DBSIZE");
            Thread.sleep(200);
            // MONITOR names commands as sent: the client sends them in lower case.
            executed = monitor.lines().stream().map(line -> line.toLowerCase(java.util.Locale.ROOT)).toList();
        }

        String script = executed.stream()
                .filter(line -> line.contains("\"evalsha\"") || line.contains("\"eval\""))
                .filter(line -> line.contains(key.toLowerCase(java.util.Locale.ROOT))).findFirst()
                .orElseThrow(() -> new AssertionError("the submission's script is not among " + executed));
        int at = executed.indexOf(script);
        assertThat(executed.subList(at + 1, executed.size()))
                .as("WAIT after the script, from the client that ran it")
                .anyMatch(line -> line.contains("\"wait\" \"1\" \"5000\"") && line.contains(client(script)));
        assertThat(onReplica).as("keys on the replica when the submission answered").isNotEqualTo(":0");
    }

    /** {@code 1733480000.123456 [0 127.0.0.1:51234] "EVALSHA" ...}: the client's address. */
    private static String client(String monitorLine) {
        return monitorLine.substring(monitorLine.indexOf('['), monitorLine.indexOf(']') + 1);
    }

    private static RedisProcess replicaOf(RedisCluster cluster, RedisProcess primary) throws Exception {
        for (RedisProcess node : cluster.nodes()) {
            var role = node.array("ROLE");
            if (role.get(0).equals("slave") && role.get(2).equals(Integer.toString(primary.port()))) {
                return node;
            }
        }
        throw new AssertionError("no replica of " + primary.port());
    }
}
