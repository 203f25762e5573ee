package dev.agentruntime.approval;

import dev.agentruntime.testing.ApprovalsWithKeys;
import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Events of real runs as records, on a real redis-server: read back from their compact stored form. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@TestProfile(ApprovalsWithKeys.class)
class RedisEventRecordsTest extends EventRecordsContract {
}
