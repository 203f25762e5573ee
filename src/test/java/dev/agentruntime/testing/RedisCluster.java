package dev.agentruntime.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster for tests (issue 31): three primaries and three replicas of Debian's {@code redis-server} on
 * loopback, formed with {@code redis-cli --cluster create … --cluster-replicas 1}, nothing persisted. The ports are
 * fixed, {@value #DEFAULT_BASE_PORT} and the five after it (the cluster bus on each + 10000), so that parallel
 * engineers and CI jobs can be given ranges of their own: {@code -Dtest.redis.cluster.base-port=P}. The default and
 * its bus ports lie below Linux's ephemeral range (32768-60999), where another process's outgoing connection may hold
 * one (seen: a JVM's connection held 46300, so a node could not bind it). A node left
 * running on one of these ports by a killed test JVM is shut down first: the range belongs to these tests.
 */
public final class RedisCluster implements AutoCloseable {

    public static final int DEFAULT_BASE_PORT = 21000;
    public static final int NODES = 6;

    private final List<RedisProcess> nodes = new ArrayList<>();

    private RedisCluster() {
    }

    /** Starts six nodes and forms the cluster; returns once every node sees {@code cluster_state:ok}. */
    public static RedisCluster start() throws IOException, InterruptedException {
        int base = ClusterPorts.base();
        RedisCluster cluster = new RedisCluster();
        try {
            for (int i = 0; i < NODES; i++) {
                int port = base + i;
                ClusterPorts.release(port);
                shutDownLeftover(port);
                // Replicas sync at once (the default waits 5 s for more of them): a replica that never synced
                // may not take over, and a test may kill a primary a second after forming.
                RedisProcess node = new RedisProcess(port, List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000",
                        "--repl-diskless-sync-delay", "0"));
                startOnItsPorts(node);
                cluster.nodes.add(node);
            }
            cluster.form();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * The ports lie in Linux's ephemeral range (32768-60999): another process's connection (a parallel load test's)
     * may hold one as its local port for a moment, and the node then fails to bind ("Address already in use", seen
     * while another engineer's benchmark ran). Such a connection ends soon: try again for a few seconds.
     */
    private static void startOnItsPorts(RedisProcess node) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                node.start();
                return;
            } catch (IOException e) {
                if (attempt == 20 || e.getMessage() == null || !e.getMessage().contains("Address already in use")) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    private void form() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!create.waitFor(30, TimeUnit.SECONDS) || create.exitValue() != 0) {
            throw new IOException("redis-cli --cluster create failed:\n" + output);
        }
        awaitState(Duration.ofSeconds(20));
        awaitReplicasInSync(Duration.ofSeconds(20));
    }

    /** Waits until every replica's link to its primary is up (it holds the primary's data). */
    private void awaitReplicasInSync(Duration max) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(max);
        for (RedisProcess node : nodes) {
            while (node.bulk("INFO", "replication").contains("role:slave")
                    && !node.bulk("INFO", "replication").contains("master_link_status:up")) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException("a replica of the Redis Cluster did not sync with its primary");
                }
                Thread.sleep(50);
            }
        }
    }

    /** Waits until every running node says {@code cluster_state:ok} (after forming, or after a failover). */
    public void awaitState(Duration max) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(max);
        while (true) {
            boolean ok = true;
            for (RedisProcess node : nodes) {
                if (node.isRunning() && !node.bulk("CLUSTER", "INFO").contains("cluster_state:ok")) {
                    ok = false;
                }
            }
            if (ok) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("the Redis Cluster did not reach cluster_state:ok");
            }
            Thread.sleep(50);
        }
    }

    /** Whether every node is running (not shut down by another copy of this class: see {@code StoreBackends}). */
    public boolean running() {
        return nodes.stream().allMatch(RedisProcess::isRunning);
    }

    /** Connection strings of every node: a cluster client needs a few to find the rest. */
    public List<String> uris() {
        return nodes.stream().map(RedisProcess::uri).toList();
    }

    public List<RedisProcess> nodes() {
        return List.copyOf(nodes);
    }

    /** The nodes that are primaries now (which may change with a failover). */
    public List<RedisProcess> primaries() throws IOException {
        List<RedisProcess> primaries = new ArrayList<>();
        for (RedisProcess node : nodes) {
            if (node.isRunning() && node.array("ROLE").get(0).equals("master")) {
                primaries.add(node);
            }
        }
        return primaries;
    }

    /** The primary that serves {@code key}: the one that does not answer {@code MOVED}. */
    public RedisProcess primaryFor(String key) throws IOException {
        for (RedisProcess primary : primaries()) {
            if (!primary.command("EXISTS", key).startsWith("-MOVED")) {
                return primary;
            }
        }
        throw new IOException("no primary serves " + key);
    }

    /** Empties every primary (their replicas follow). */
    public void flushAll() throws IOException {
        for (RedisProcess primary : primaries()) {
            primary.command("FLUSHALL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (RedisProcess node : nodes) {
            node.kill();
        }
        nodes.clear();
    }

    private static void shutDownLeftover(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.getInputStream().read();
        } catch (IOException nothingThere) {
            return;
        }
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
