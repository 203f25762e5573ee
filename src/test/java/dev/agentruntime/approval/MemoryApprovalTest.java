package dev.agentruntime.approval;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Approvals on the memory store. */
@QuarkusTest
@TestProfile(ApprovalContract.Approvals.class)
class MemoryApprovalTest extends ApprovalContract {
}
