package dev.agentruntime.api;

import dev.agentruntime.testing.RedisClusterTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Issue 30's fork contract on the RedisCluster store. */
@QuarkusTest
@WithTestResource(RedisClusterTestResource.class)
class RedisClusterForkTest extends ForkContract {
}
