package dev.agentruntime.approval;

import dev.agentruntime.testing.ApprovalsWithKeys;
import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Approvals on a real redis-server: the deadlines every instance watches are a sorted set there. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@TestProfile(ApprovalsWithKeys.class)
class RedisApprovalTest extends ApprovalContract {
}
