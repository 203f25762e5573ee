package dev.agentruntime.approval;

import dev.agentruntime.testing.ApprovalsWithKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Approvals on the memory store. */
@QuarkusTest
@TestProfile(ApprovalsWithKeys.class)
class MemoryApprovalTest extends ApprovalContract {

    /**
     * Only on the memory store: on Redis this gauge was seen to stay at 0 while a run awaited approval, in 2 of 5
     * full CI runs, cause not found (an open bug, named in the issue note), so it is not asserted there.
     */
    @org.junit.jupiter.api.Test
    void theGaugeCountsRunsAwaitingApproval() {
        // Runs other tests left awaiting expire within the approval timeout: from 0, the 1 can only be this run.
        org.awaitility.Awaitility.await().atMost(TIMEOUT.plusSeconds(10))
                .until(() -> metric("agent_approvals_pending", java.util.Map.of()) == 0);
        pause("add todo to count me " + java.util.UUID.randomUUID(), 1);
        org.awaitility.Awaitility.await().atMost(TIMEOUT)
                .until(() -> metric("agent_approvals_pending", java.util.Map.of()) == 1);
    }
}
