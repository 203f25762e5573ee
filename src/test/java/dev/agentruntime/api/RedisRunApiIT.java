package dev.agentruntime.api;

import dev.agentruntime.testing.Management;
import io.restassured.specification.RequestSpecification;
import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The API contract against the packaged application on a real redis-server. */
@QuarkusIntegrationTest
@WithTestResource(RedisTestResource.class)
class RedisRunApiIT extends RunApiContract {

    @Override
    RequestSpecification management() {
        return Management.givenPackaged();
    }

    @Override
    String storeType() {
        return "redis";
    }
}
