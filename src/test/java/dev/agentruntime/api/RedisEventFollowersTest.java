package dev.agentruntime.api;

import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Event followers on a real redis-server: one reader per run on this instance, whatever the followers. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class RedisEventFollowersTest extends EventFollowersContract {
}
