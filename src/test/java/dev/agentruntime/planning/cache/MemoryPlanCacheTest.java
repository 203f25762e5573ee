package dev.agentruntime.planning.cache;

import dev.agentruntime.testing.OpenAiMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The plan cache in process (the memory store). */
@QuarkusTest
@WithTestResource(OpenAiMock.class)
@TestProfile(PlanCacheContract.Cached.class)
class MemoryPlanCacheTest extends PlanCacheContract {
}
