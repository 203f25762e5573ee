package dev.agentruntime.api;

import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Issue 30's fork contract on the Redis store. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class RedisForkTest extends ForkContract {
}
