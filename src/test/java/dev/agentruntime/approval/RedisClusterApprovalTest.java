package dev.agentruntime.approval;

import dev.agentruntime.testing.ApprovalsWithKeys;
import dev.agentruntime.testing.RedisClusterTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Approvals on a local Redis Cluster (issue 31): deadlines and awaiting runs are one sorted set per partition. */
@QuarkusTest
@WithTestResource(RedisClusterTestResource.class)
@TestProfile(ApprovalsWithKeys.class)
class RedisClusterApprovalTest extends ApprovalContract {
}
