package dev.agentruntime.api;

import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A key still being created, on a real redis-server. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class RedisStillBeingCreatedTest extends StillBeingCreatedContract {
}
