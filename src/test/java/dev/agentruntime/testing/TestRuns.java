package dev.agentruntime.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentruntime.run.Plan;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.PlanningOutcome;
import dev.agentruntime.run.Run;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Runs for tests below the HTTP level: a one-step calculator plan, as the rules would make it. */
public final class TestRuns {

    private TestRuns() {
    }

    /**
     * The run as the API would write it: compare runs through this, since a store that keeps JSON gives back
     * {@code NullNode} where a memory store keeps Java's null, and both are {@code null} on the wire.
     */
    public static String json(Object runOrRuns) {
        try {
            return TestJson.mapper().writeValueAsString(runOrRuns);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Run planned(String tenant, Instant createdAt) {
        PlanStep step = new PlanStep(1, "calculator", JsonNodeFactory.instance.objectNode().put("expression", "1 + 1"),
                "test", null);
        return Run.planned(UUID.randomUUID(), tenant, "calculate 1 + 1",
                PlanningOutcome.byRules(new Plan(List.of(step)), null), createdAt);
    }
}
