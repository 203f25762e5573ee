package dev.agentruntime.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts a real redis-server for a {@code @QuarkusTest} class, points the app at it with Redis as the store, and
 * stops it afterwards. A test gets the server in a {@link RedisProcess} field to stop and restart it mid-test.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private RedisProcess redis;

    @Override
    public Map<String, String> start() {
        try {
            redis = new RedisProcess();
            redis.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("agent.store.type", "redis", "quarkus.redis.hosts", redis.uri());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(redis, new TestInjector.MatchesType(RedisProcess.class));
    }

    @Override
    public void stop() {
        try {
            if (redis != null) {
                redis.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
