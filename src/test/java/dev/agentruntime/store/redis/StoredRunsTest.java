package dev.agentruntime.store.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.Approval;
import dev.agentruntime.run.ApprovalDecision;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.FallbackReason;
import dev.agentruntime.run.Plan;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.PlanningOutcome;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEventBody;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.run.Usage;
import dev.agentruntime.testing.TestJson;
import dev.agentruntime.testing.TestRuns;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: Redis keeps a run with each step once and no null field, and reads back exactly the run the API
 * answers, whatever its shape; a run stored in full (before this form) reads the same.
 */
class StoredRunsTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Instant T0 = Instant.parse("2026-11-26T09:00:00.123456789Z");

    private final StoredRuns stored = new StoredRuns(TestJson.mapper());

    @Test
    void everyShapeOfRunReadsBackAsTheApiWroteIt() throws Exception {
        for (Map.Entry<String, Run> shape : shapes().entrySet()) {
            Run run = shape.getValue();
            String compact = stored.write(run);
            assertThat(TestRuns.json(stored.read(compact))).as(shape.getKey()).isEqualTo(TestRuns.json(run));
            assertThat(TestRuns.json(stored.read(TestRuns.json(run)))).as(shape.getKey() + ", stored in full")
                    .isEqualTo(TestRuns.json(run));
            JsonNode tree = TestJson.mapper().readTree(compact);
            tree.fields().forEachRemaining(field -> assertThat(field.getValue().isNull() && !"result".equals(
                    field.getKey())).as(shape.getKey() + ": " + field.getKey()).isFalse());
            tree.path("execution_log").forEach(entry -> entry.fields().forEachRemaining(field -> assertThat(
                    field.getValue().isNull()).as(shape.getKey() + ": step " + field.getKey()).isFalse()));
        }
    }

    @Test
    void aCompletedTwoStepRunKeepsEachStepOnce() {
        Run run = shapes().get("completed, two steps");
        String compact = stored.write(run);
        String full = TestRuns.json(run);

        assertThat(count(compact, "\"tool_name\"")).isEqualTo(2);
        assertThat(count(compact, "\"expression\"")).as("the first step's input, the plan's").isEqualTo(1);
        assertThat(count(compact, "\"todo\"")).as("the result is the last step's output").isEqualTo(1);
        assertThat(count(compact, "\"duration_ms\"")).as("durations follow from the steps' instants").isZero();
        assertThat(count(compact, "\"reused\"")).as("reused is kept only where it is true").isZero();
        System.out.printf("run JSON: %d bytes in full, %d stored%n", full.length(), compact.length());
        assertThat(compact.length()).isLessThan(full.length() * 7 / 10);
    }

    @Test
    void duringARollingUpgradeRunsAndEventsAreWrittenInFull() {
        Run run = shapes().get("failed");
        RedisSupport full = new RedisSupport(null, TestJson.mapper(), "agent:", false, false);
        RedisSupport compact = new RedisSupport(null, TestJson.mapper(), "agent:", true, false);

        assertThat(full.writeRun(run)).isEqualTo(TestRuns.json(run));
        assertThat(TestRuns.json(compact.readRun(full.writeRun(run)))).isEqualTo(TestRuns.json(run));
        assertThat(compact.writeRun(run).length()).isLessThan(full.writeRun(run).length());
        JsonNode step = new dev.agentruntime.store.EventPayloads(TestJson.mapper())
                .json(RunEventBody.step(EventType.STEP_STARTED, run.runId(), run.step(1)));
        assertThat(full.writeEvent(step)).isEqualTo(step.toString());
        assertThat(compact.writeEvent(step)).doesNotContain("run_id");
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static Map<String, Run> shapes() {
        PlanStep calculate = new PlanStep(1, "calculator", JSON.objectNode().put("expression", "6 * 7"),
                "Calculates 6 * 7", List.of());
        PlanStep add = new PlanStep(2, "todo_store", JSON.objectNode().put("action", "add")
                .put("text", "{{steps.1.output}}"), "Adds the result", List.of(1));
        PlanStep third = new PlanStep(3, "calculator", JSON.objectNode().put("expression", "1 + 1"), null, null);
        Plan plan = new Plan(List.of(calculate, add, third));
        Run planned = Run.planned(UUID.randomUUID(), "acme", "calculate 6 * 7 and add it",
                new PlanningOutcome(plan, dev.agentruntime.run.Planner.LLM, FallbackReason.TIMEOUT,
                        new Usage(120, 30, 0.0004)), T0);

        Map<String, Run> shapes = new LinkedHashMap<>();
        shapes.put("pending", planned);
        Run running = planned.started(T0.plusMillis(5));
        StepRecord first = running.step(1).running(calculate.toolInput(), T0.plusMillis(6))
                .completed(JSON.numberNode(42), 1, T0.plusNanos(7_654_321));
        running = running.withStep(first);
        shapes.put("running, one step done", running);
        JsonNode todo = JSON.objectNode().set("todo", JSON.objectNode().put("id", "t-1").put("text", "42")
                .putNull("completed_at"));
        StepRecord second = running.step(2).running(JSON.objectNode().put("action", "add").put("text", "42"),
                        T0.plusMillis(9)).completed(todo, 2, T0.plusMillis(11));
        Run twoDone = running.withStep(second);
        Run twoSteps = Run.planned(planned.runId(), "default", planned.prompt(), PlanningOutcome.byRules(
                new Plan(List.of(calculate, add)), null), T0).started(T0.plusMillis(5)).withStep(first)
                .withStep(second);
        shapes.put("completed, two steps", twoSteps.completed(second.output(), T0.plusMillis(12)));
        shapes.put("completed, result null", twoSteps.completed(null, T0.plusMillis(12)));
        StepRecord failedThird = twoDone.step(3).running(third.toolInput(), T0.plusMillis(13))
                .failed("division by zero", 1, T0.plusMillis(14));
        shapes.put("failed", twoDone.withStep(failedThird).failed("step 3 failed", T0.plusMillis(15)));
        shapes.put("cancelled before it started", planned.cancelled("cancelled by the client", T0.plusMillis(1)));
        Approval asked = Approval.requested(3, "calculator", third.toolInput(), "sha256:abc", T0.plusMillis(16),
                T0.plusSeconds(3600));
        Run awaiting = twoDone.awaitingApproval(asked);
        shapes.put("awaiting approval", awaiting);
        shapes.put("approved", awaiting.approved("alice", T0.plusMillis(20), "fine"));
        shapes.put("rejected", awaiting.rejected(ApprovalDecision.REJECTED, "bob", T0.plusMillis(21), null,
                "rejected by bob"));
        ObjectNode odd = JSON.objectNode();
        odd.putNull("nothing");
        StepRecord nullOutput = twoSteps.step(2).running(add.toolInput(), T0.plusMillis(9))
                .completed(odd, 1, T0.plusMillis(10));
        shapes.put("output with nulls inside", twoSteps.withStep(nullOutput).completed(odd, T0.plusMillis(12)));
        // Issue 30: a fork keeps where it comes from and which steps it reused; its replaced input is its plan's.
        Run failed = shapes.get("failed");
        Run fork = Run.forked(UUID.randomUUID(), failed, new dev.agentruntime.run.ForkedFrom(failed.runId(), 3,
                "retry"), java.util.Set.of(1, 2), JSON.objectNode().put("expression", "2 + 2"), T0.plusSeconds(1));
        shapes.put("a fork, pending", fork);
        StepRecord rerun = fork.started(T0.plusSeconds(2)).step(3).running(JSON.objectNode()
                .put("expression", "2 + 2"), T0.plusSeconds(2)).completed(JSON.numberNode(4), 1, T0.plusSeconds(3));
        shapes.put("a fork, completed", fork.started(T0.plusSeconds(2)).withStep(rerun)
                .completed(rerun.output(), T0.plusSeconds(3)));
        return shapes;
    }
}
