package dev.agentruntime.approval;

import dev.agentruntime.testing.ApprovalsWithKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Events of real runs as records, on the memory store. */
@QuarkusTest
@TestProfile(ApprovalsWithKeys.class)
class MemoryEventRecordsTest extends EventRecordsContract {
}
