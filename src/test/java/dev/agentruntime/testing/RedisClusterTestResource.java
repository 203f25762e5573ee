package dev.agentruntime.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} class at the test JVM's local Redis Cluster (issue 31), emptied first: the one
 * {@link StoreBackends} uses, since its ports are fixed. The cluster stops with the JVM.
 */
public class RedisClusterTestResource implements QuarkusTestResourceLifecycleManager {

    private RedisCluster cluster;

    @Override
    public Map<String, String> start() {
        cluster = StoreBackends.sharedCluster();
        try {
            cluster.flushAll();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Map.of("agent.store.type", "redis", "quarkus.redis.client-type", "cluster",
                "quarkus.redis.hosts", String.join(",", cluster.uris()));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(cluster, new TestInjector.MatchesType(RedisCluster.class));
    }

    @Override
    public void stop() {
        // The cluster is shared by the test JVM; its shutdown hook stops it.
    }
}
