package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.Plan;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.PlanningOutcome;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.run.StepStatus;
import dev.agentruntime.store.RunStore;
import dev.agentruntime.testing.TestTools;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The executor through the real CDI proxies, so @Retry and @Timeout apply as in production. */
@QuarkusTest
class RunExecutorTest {

    private static final Duration MAX = Duration.ofSeconds(30);

    @Inject
    RunExecutor executor;
    @Inject
    RunStore store;
    @Inject
    TestTools.Calls calls;
    @Inject
    ObjectMapper mapper;
    @Inject
    ExecutionConfig config;
    @Inject
    dev.agentruntime.store.RunEventLog eventLog;

    @Test
    void transientFailuresAreRetriedWithGrowingDelays() {
        String key = UUID.randomUUID().toString();
        Run run = execute(step(1, "test_flaky", input(key).put("failures", 2), null));

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        StepRecord step = run.step(1);
        assertThat(step.attempts()).isEqualTo(3);
        assertThat(step.output().asText()).isEqualTo("ok after 3");

        List<Long> times = calls.of(key);
        assertThat(times).hasSize(3);
        long firstGapMs = (times.get(1) - times.get(0)) / 1_000_000;
        long secondGapMs = (times.get(2) - times.get(1)) / 1_000_000;
        // 200 ms then 400 ms, each ± 50 ms of jitter: the second wait is longer, and neither is skipped.
        assertThat(firstGapMs).isGreaterThanOrEqualTo(config.retryDelayMs() - config.retryJitterMs());
        assertThat(secondGapMs).isGreaterThan(firstGapMs);
        assertThat(secondGapMs).isGreaterThanOrEqualTo(2 * config.retryDelayMs() - config.retryJitterMs());
    }

    /**
     * Issue 13, item 4: "wait 35 seconds" was accepted, then timed out three times at the step timeout and failed
     * after 90 s. A wait longer than the step timeout (1 s in tests) completes in one attempt.
     */
    @Test
    void aStepExpectedToTakeLongerThanTheStepTimeoutGetsItsTimeAndOneAttempt() {
        long waitMs = config.stepTimeoutMs() + 500;
        Run run = execute(step(1, "wait", mapper.createObjectNode().put("seconds",
                java.math.BigDecimal.valueOf(waitMs).movePointLeft(3)), null));

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.step(1).attempts()).isEqualTo(1);
        assertThat(run.step(1).durationMs()).isGreaterThanOrEqualTo((double) waitMs);
    }

    @Test
    void aStepThatKeepsFailingFailsTheRunNamingTheStepAndSkipsTheRest() {
        String key = UUID.randomUUID().toString();
        Run run = execute(step(1, "calculator", mapper.createObjectNode().put("expression", "1 + 1"), List.of()),
                step(2, "test_flaky", input(key).put("failures", 10), null),
                step(3, "calculator", mapper.createObjectNode().put("expression", "2 + 2"), null));

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).startsWith("step 2 (test_flaky) failed: flaky failure 3");
        assertThat(run.step(1).status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(run.step(2).status()).isEqualTo(StepStatus.FAILED);
        assertThat(run.step(2).attempts()).isEqualTo(config.maxRetries() + 1);
        assertThat(run.step(3).status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(run.result()).isNull();
        assertThat(calls.of(key)).hasSize(config.maxRetries() + 1);
    }

    @Test
    void aSlowStepTimesOutOnEveryAttemptAndFailsTheRun() {
        String key = UUID.randomUUID().toString();
        long tooSlow = config.stepTimeoutMs() * 5;
        Run run = execute(step(1, "test_slow", input(key).put("millis", tooSlow), null));

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).isEqualTo("step 1 (test_slow) failed: timed out after " + config.stepTimeoutMs() + " ms");
        assertThat(run.step(1).attempts()).isEqualTo(config.maxRetries() + 1);
        assertThat(calls.of(key)).hasSize(config.maxRetries() + 1);
        // Each attempt was cut at the timeout, not left to run for tooSlow.
        assertThat(run.step(1).durationMs()).isLessThan((double) tooSlow);
    }

    @Test
    void aNonTransientErrorIsNotRetried() {
        String key = UUID.randomUUID().toString();
        Run run = execute(step(1, "test_broken", input(key), null));

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.step(1).attempts()).isEqualTo(1);
        assertThat(run.step(1).error()).isEqualTo("broken on purpose");
        assertThat(calls.of(key)).hasSize(1);
    }

    @Test
    void aCalculatorSyntaxErrorFailsAtOnce() {
        Run run = execute(step(1, "calculator", mapper.createObjectNode().put("expression", "2 +* 3"), null));

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.step(1).attempts()).isEqualTo(1);
        assertThat(run.error()).contains("step 1 (calculator)").contains("position 4");
    }

    @Test
    void independentStepsRunAtTheSameTime() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        long sleep = 300;
        Instant start = Instant.now();
        Run run = execute(step(1, "test_slow", input(a).put("millis", sleep), List.of()),
                step(2, "test_slow", input(b).put("millis", sleep), List.of()));
        long elapsed = Duration.between(start, Instant.now()).toMillis();

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(elapsed).isLessThan(2 * sleep);
        assertThat(Math.abs(calls.of(a).get(0) - calls.of(b).get(0)) / 1_000_000).isLessThan(sleep);
        assertThat(run.executionLog()).extracting(StepRecord::stepNumber).containsExactly(1, 2);
    }

    @Test
    void stepsWithoutDependsOnRunOneAfterAnother() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        long sleep = 150;
        Run run = execute(step(1, "test_slow", input(a).put("millis", sleep), null),
                step(2, "test_slow", input(b).put("millis", sleep), null));

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat((calls.of(b).get(0) - calls.of(a).get(0)) / 1_000_000).isGreaterThanOrEqualTo(sleep);
    }

    @Test
    void anEarlierOutputFlowsIntoALaterInputAndTheLogShowsItResolved() {
        Run run = execute(step(1, "calculator", mapper.createObjectNode().put("expression", "100 / 8"), List.of()),
                step(2, "calculator", mapper.createObjectNode().put("expression", "({{steps.1.output}}) * 2"), null));

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.step(2).toolInput().get("expression").asText()).isEqualTo("(12.5) * 2");
        assertThat(run.result().decimalValue()).isEqualByComparingTo("25");
    }

    @Test
    void aRetriedTodoAddWritesOneTodo() {
        // Two executions of the same run and step stand for an add retried after its first attempt timed out.
        Run planned = planned(step(1, "todo_store",
                mapper.createObjectNode().put("action", "add").put("text", "only once"), null));
        Run first = executor.execute(planned).await().atMost(MAX);
        store.save(planned).await().atMost(MAX);
        Run second = executor.execute(planned).await().atMost(MAX);

        String firstId = first.result().at("/todo/id").asText();
        assertThat(second.result().at("/todo/id").asText()).isEqualTo(firstId);
        Run list = execute(step(1, "todo_store", mapper.createObjectNode().put("action", "list"), null));
        long copies = 0;
        for (var todo : list.result().get("todos")) {
            if (todo.get("id").asText().equals(firstId)) {
                copies++;
            }
        }
        assertThat(copies).isEqualTo(1);
    }

    /**
     * ADR 0037: a calculation's record and the start of a quick step after it ride the write after that step. A
     * retry's event is written apart from the run: it must still come after them, as the step it retries started
     * first (without the flush before it, {@code step_retrying} came before step 1's {@code step_completed}).
     */
    @Test
    void aRetryOfAQuickStepComesAfterTheRecordAndStartHeldBeforeIt() {
        String key = UUID.randomUUID().toString();
        Run run = execute(step(1, "calculator", mapper.createObjectNode().put("expression", "6 * 7"), null),
                step(2, "test_quick_flaky", input(key).put("failures", 1), null));

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.step(2).attempts()).isEqualTo(2);
        List<String> names = eventLog.replay(run.runId(), null).collect().asList().await().atMost(MAX).stream()
                .map(event -> event.type().wireName() + (event.data().has("step_number")
                        ? " " + event.data().get("step_number").asInt() : "")).toList();
        assertThat(names).containsExactly("run_started", "step_started 1", "step_completed 1", "step_started 2",
                "step_retrying 2", "step_completed 2", "run_completed");
    }

    @Test
    void theTerminalRunIsSaved() {
        Run run = execute(step(1, "calculator", mapper.createObjectNode().put("expression", "0.1 + 0.2"), null));

        Run stored = store.find(run.runId()).await().atMost(MAX).orElseThrow();
        assertThat(stored.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(stored.result().decimalValue()).isEqualByComparingTo("0.3");
        assertThat(stored.completedAt()).isNotNull();
    }

    private ObjectNode input(String key) {
        return mapper.createObjectNode().put("key", key);
    }

    private static PlanStep step(int number, String tool, ObjectNode input, List<Integer> dependsOn) {
        return new PlanStep(number, tool, input, "test", dependsOn);
    }

    private Run planned(PlanStep... steps) {
        Run run = Run.planned(UUID.randomUUID(), Run.DEFAULT_TENANT, "test", PlanningOutcome.byRules(new Plan(List.of(steps)), null),
                Instant.now());
        store.save(run).await().atMost(MAX);
        return run;
    }

    private Run execute(PlanStep... steps) {
        return executor.execute(planned(steps)).await().atMost(MAX);
    }
}
