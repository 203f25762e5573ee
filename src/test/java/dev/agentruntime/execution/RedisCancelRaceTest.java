package dev.agentruntime.execution;

import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The cancel race on a real redis-server. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class RedisCancelRaceTest extends CancelRaceContract {
}
