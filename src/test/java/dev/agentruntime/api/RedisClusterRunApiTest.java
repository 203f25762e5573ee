package dev.agentruntime.api;

import dev.agentruntime.testing.RedisClusterTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The API contract on a local Redis Cluster (issue 31): the same answers as on one Redis. */
@QuarkusTest
@WithTestResource(RedisClusterTestResource.class)
class RedisClusterRunApiTest extends RunApiContract {

    @Override
    String storeType() {
        return "redis";
    }
}
