package dev.agentruntime.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * The local cluster's ports, held by the test JVM from its first Redis on (see {@link RedisProcess}) until a node
 * takes its own. The bus ports (port + 10000) lie in Linux's ephemeral range: a connection this JVM opened could get
 * one as its local port, and the node then fails to start ("bind: Address already in use", seen twice). A port
 * bound here is one the kernel does not hand out to connections. The sockets are kept in the JVM's system properties,
 * not in a field: Quarkus loads test classes in class loaders of their own, each with its own copy of this class,
 * and a copy must be able to free a port another copy holds (seen: a cluster test after a single-Redis
 * {@code @QuarkusTest} could not bind its ports).
 */
final class ClusterPorts {

    private static final String KEY = "agent-runtime.test.cluster-ports";

    @SuppressWarnings("unchecked")
    private static final Map<Integer, ServerSocket> HELD = (Map<Integer, ServerSocket>) System.getProperties()
            .computeIfAbsent(KEY, key -> java.util.Collections.synchronizedMap(new HashMap<Integer, ServerSocket>()));

    private ClusterPorts() {
    }

    static int base() {
        return Integer.getInteger("test.redis.cluster.base-port", RedisCluster.DEFAULT_BASE_PORT);
    }

    /** Holds every port of the cluster that is free now. */
    static void hold() {
        synchronized (HELD) {
            for (int i = 0; i < RedisCluster.NODES; i++) {
                hold(base() + i);
                hold(base() + i + 10_000);
            }
        }
    }

    private static void hold(int port) {
        if (HELD.containsKey(port)) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            HELD.put(port, socket);
        } catch (IOException taken) {
            // In use: by a node of ours left running (shut down before start), or by another process.
        }
    }

    /** Lets a node bind the port and its bus port. */
    static void release(int port) {
        for (int held : new int[] {port, port + 10_000}) {
            ServerSocket socket = HELD.remove(held);
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Closed either way.
                }
            }
        }
    }
}
