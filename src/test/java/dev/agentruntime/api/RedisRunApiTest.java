package dev.agentruntime.api;

import dev.agentruntime.testing.RunKeyNames;
import dev.agentruntime.testing.RedisProcess;
import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The API contract on a real redis-server, plus what only Redis has: key TTLs. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class RedisRunApiTest extends RunApiContract {

    RedisProcess redis;

    @Override
    String storeType() {
        return "redis";
    }

    @Test
    void runKeysExpireADayAfterCreation() throws Exception {
        String id = waitFor("calculate 6 * 7").path("run_id");
        long ttlMs = Long.parseLong(redis.command("PTTL", RunKeyNames.run(id)).substring(1));
        assertThat(ttlMs).isBetween(Duration.ofHours(24).minusMinutes(1).toMillis(), Duration.ofHours(24).toMillis());
        assertThat(redis.command("ZSCORE", RunKeyNames.runIndex(id, "default"), id)).startsWith("$");
        // Issue 19: a tenant that stops submitting leaves no index behind once its newest run has expired.
        long indexTtlMs = Long.parseLong(redis.command("PTTL", RunKeyNames.runIndex(id, "default")).substring(1));
        assertThat(indexTtlMs).isBetween(ttlMs - 60_000, Duration.ofHours(24).toMillis());
    }

    @Test
    void todoKeysExpireToo() throws Exception {
        String todoId = waitFor("add todo to check the ttl").path("result.todo.id");
        long ttlMs = Long.parseLong(redis.command("PTTL", RunKeyNames.todo("default", todoId)).substring(1));
        assertThat(ttlMs).isPositive().isLessThanOrEqualTo(Duration.ofHours(24).toMillis());
    }
}
