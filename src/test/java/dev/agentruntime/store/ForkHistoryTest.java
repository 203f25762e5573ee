package dev.agentruntime.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.ForkedFrom;
import dev.agentruntime.run.Plan;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.PlanningOutcome;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.testing.TestJson;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 30: an ended fork's history, rebuilt once its stored events are gone, says what its live events said: it
 * was forked, its reused steps completed without starting (at the fork's creation, not at their source's times),
 * then it ran the rest.
 */
class ForkHistoryTest {

    private static final Instant T0 = Instant.parse("2026-12-06T09:00:00Z");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void aForksHistoryShowsItsReusedStepsCompletedAndNeverStarted() {
        PlanStep one = new PlanStep(1, "calculator", JSON.objectNode().put("expression", "6 * 7"), null, List.of());
        PlanStep two = new PlanStep(2, "calculator", JSON.objectNode().put("expression", "1 / 0"), null, null);
        Run source = Run.planned(UUID.randomUUID(), "acme", "p", PlanningOutcome.byRules(new Plan(List.of(one,
                two)), null), T0).started(T0);
        source = source.withStep(source.step(1).running(one.toolInput(), T0).completed(JSON.numberNode(42), 1,
                T0.plusMillis(1)));
        source = source.withStep(source.step(2).running(two.toolInput(), T0).failed("division by zero", 1,
                T0.plusMillis(2))).failed("step 2 failed", T0.plusMillis(3));

        Instant forked = T0.plusSeconds(10);
        Run fork = Run.forked(UUID.randomUUID(), source, new ForkedFrom(source.runId(), 2, null), Set.of(1),
                JSON.objectNode().put("expression", "1 + 1"), forked).started(forked.plusMillis(1));
        StepRecord rerun = fork.step(2).running(fork.step(2).toolInput(), forked.plusMillis(2))
                .completed(JSON.numberNode(2), 1, forked.plusMillis(3));
        fork = fork.withStep(rerun).completed(rerun.output(), forked.plusMillis(4));

        List<RunEvent> history = new CompactHistory(new EventPayloads(TestJson.mapper())).of(fork,
                (at, position, sameMilli) -> at.toEpochMilli() + "-" + sameMilli);

        assertThat(history).extracting(RunEvent::type).containsExactly(EventType.RUN_FORKED,
                EventType.STEP_COMPLETED, EventType.RUN_STARTED, EventType.STEP_STARTED, EventType.STEP_COMPLETED,
                EventType.RUN_COMPLETED);
        assertThat(history.get(0).data().path("reused_steps").toString()).isEqualTo("[1]");
        assertThat(history.get(0).data().path("forked_from").path("run_id").asText())
                .isEqualTo(source.runId().toString());
        assertThat(history.get(1).data().path("step_number").asInt()).isEqualTo(1);
        assertThat(history.get(1).data().path("reused").asBoolean()).isTrue();
        assertThat(history.get(1).id()).startsWith(forked.toEpochMilli() + "-");
        assertThat(history.get(3).data().path("step_number").asInt()).isEqualTo(2);
    }
}
