package dev.agentruntime.approval;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Events of real runs as records, on the memory store. */
@QuarkusTest
@TestProfile(ApprovalContract.Approvals.class)
class MemoryEventRecordsTest extends EventRecordsContract {
}
