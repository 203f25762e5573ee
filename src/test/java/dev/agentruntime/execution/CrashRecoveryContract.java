package dev.agentruntime.execution;

import dev.agentruntime.testing.RunKeyNames;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.agentruntime.run.Plan;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.PlanningOutcome;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.run.StepStatus;
import dev.agentruntime.store.RunEventLog;
import dev.agentruntime.store.RunStore;
import dev.agentruntime.run.EventType;
import dev.agentruntime.testing.TestTools;
import dev.agentruntime.tools.ToolContext;
import dev.agentruntime.tools.todo.Todo;
import dev.agentruntime.tools.todo.TodoRepository;
import dev.agentruntime.testing.RedisProcess;
import io.quarkus.test.junit.QuarkusTestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance dies holding a run: its stream entry stays pending under its consumer name. This instance claims
 * it once idle, resumes from the first step not completed, and fails a run whose executors keep dying. On one Redis
 * ({@link CrashRecoveryTest}) and on a Redis Cluster ({@link RedisClusterCrashRecoveryTest}).
 */
abstract class CrashRecoveryContract {

    public static class FastClaims implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agent.queue.claim-idle", "1s", "agent.queue.max-claims", "2");
        }
    }

    private static final String CREATE_GROUP = """
            redis.call('XGROUP', 'CREATE', KEYS[1], 'executors', '0', 'MKSTREAM')
            """;
    /**
     * Adds the entry and hands it to a consumer that will never acknowledge it, in one atomic step: the group's
     * last-delivered id moves past it, so live instances can only get it by claiming it.
     */
    private static final String ADD_AND_READ_AS_DEAD = """
            local id = redis.call('XADD', KEYS[1], '*', 'run_id', ARGV[1])
            redis.call('XGROUP', 'SETID', KEYS[1], 'executors', id)
            redis.call('XCLAIM', KEYS[1], 'executors', 'dead-instance', 0, id, 'RETRYCOUNT', ARGV[2], 'FORCE')
            return id
            """;

    /** The Redis (on a cluster, the primary) that serves {@code key}. */
    abstract RedisProcess nodeFor(String key) throws Exception;

    @Inject
    RunStore store;
    @Inject
    ObjectMapper mapper;
    @Inject
    RunEventLog events;
    @Inject
    TestTools.Calls calls;
    @Inject
    TodoRepository todos;

    @Test
    void aRunWhoseExecutorDiedIsResumedFromTheFirstStepNotCompleted() throws Exception {
        Instant finishedBefore = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        Run run = twoStepRun();
        // The dead instance completed step 1 (its output, 7, is not what a re-run would give) and saved the run.
        StepRecord step1 = run.step(1).running(run.plan().steps().get(0).toolInput(), finishedBefore.minusMillis(3))
                .completed(IntNode.valueOf(7), 1, finishedBefore);
        Run halfDone = run.started(finishedBefore.minusMillis(5)).withStep(step1);
        store.save(halfDone).await().atMost(Duration.ofSeconds(5));

        handToDeadInstance(run.runId(), 1);

        Instant handedOver = Instant.now();
        Run resumed = awaitEnded(run.runId());
        // Taken over only once the entry had been idle for claim-idle (1 s), as from a dead instance.
        assertThat(Duration.between(handedOver, resumed.completedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(resumed.step(1)).isEqualTo(step1);
        assertThat(resumed.step(2).toolInput().get("expression").asText()).isEqualTo("(7) * 10");
        assertThat(resumed.result().decimalValue()).isEqualByComparingTo("70");
        assertThat(pendingCount()).isZero();
    }

    @Test
    void aToolThatIsNotIdempotentIsNotCalledAgainWhenTheJournalShowsItsStepHadStarted() throws Exception {
        String started = "once-started-" + UUID.randomUUID();
        String fresh = "once-fresh-" + UUID.randomUUID();
        Run startedRun = onceRun(started);
        Run freshRun = onceRun(fresh);
        store.save(startedRun.started(Instant.now())).await().atMost(Duration.ofSeconds(5));
        store.save(freshRun.started(Instant.now())).await().atMost(Duration.ofSeconds(5));
        // The dead instance had announced step 1 of the first run, so it may have made its call.
        events.append(startedRun.runId(), EventType.STEP_STARTED, mapper.createObjectNode()
                .put("run_id", startedRun.runId().toString()).put("step_number", 1)).await().atMost(Duration.ofSeconds(5));

        handToDeadInstance(startedRun.runId(), 1);
        handToDeadInstance(freshRun.runId(), 1);

        Run refused = awaitEnded(startedRun.runId());
        assertThat(refused.status()).isEqualTo(RunStatus.FAILED);
        assertThat(refused.step(1).error()).contains("not called again after the run resumed")
                .contains("'test_once' is not idempotent");
        assertThat(calls.of(started)).isEmpty();
        // The journal of the other run shows its step never started: it runs, once.
        Run completed = awaitEnded(freshRun.runId());
        assertThat(completed.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(calls.of(fresh)).hasSize(1);
    }

    /**
     * ADR 0037: a calculation then a todo writes the calculation's record only with the run's last write, after the
     * todo. An instance that died between the two left the run as its start wrote it (step 1 started, no record) and
     * the todo stored: the run resumed elsewhere replays both steps, finds that todo and completes with it alone.
     */
    @Test
    void aRunThatDiedAfterItsTodoButBeforeItsLastWriteCompletesWithThatOneTodo() throws Exception {
        String text = "replayed-" + UUID.randomUUID();
        Plan plan = new Plan(List.of(
                new PlanStep(1, "calculator", mapper.createObjectNode().put("expression", "6 * 7"), "a", List.of()),
                new PlanStep(2, "todo_store", mapper.createObjectNode().put("action", "add").put("text", text), "b",
                        null)));
        Run run = Run.planned(UUID.randomUUID(), Run.DEFAULT_TENANT, "replay", PlanningOutcome.byRules(plan, null),
                Instant.now());
        Instant died = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        store.save(run.started(died)).await().atMost(Duration.ofSeconds(5));
        String todoId = new ToolContext(run.runId(), 2, Run.DEFAULT_TENANT).stableId();
        todos.insertIfAbsent(Run.DEFAULT_TENANT, new Todo(todoId, text, false, died, null), 1000)
                .await().atMost(Duration.ofSeconds(5));

        handToDeadInstance(run.runId(), 1);

        Run resumed = awaitEnded(run.runId());
        assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(resumed.step(1).output().asInt()).isEqualTo(42);
        assertThat(resumed.result().at("/todo/id").asText()).isEqualTo(todoId);
        assertThat(resumed.result().at("/todo/created_at").asText()).isEqualTo(died.toString());
        List<Todo> withText = todos.page(Run.DEFAULT_TENANT, 100, 0).await().atMost(Duration.ofSeconds(5)).todos()
                .stream().filter(todo -> todo.text().equals(text)).toList();
        assertThat(withText).hasSize(1);
        assertThat(pendingCount()).isZero();
    }

    private Run onceRun(String key) {
        Plan plan = new Plan(List.of(new PlanStep(1, "test_once", mapper.createObjectNode().put("key", key), "a",
                List.of())));
        return Run.planned(UUID.randomUUID(), Run.DEFAULT_TENANT, "once", PlanningOutcome.byRules(plan, null),
                Instant.now());
    }

    @Test
    void aRunThatKeepsCrashingItsExecutorsIsFailedAfterTheClaimLimit() throws Exception {
        Run run = twoStepRun();
        store.save(run.started(Instant.now())).await().atMost(Duration.ofSeconds(5));

        // Delivered four times already: once, then claimed three times by executors that all died.
        handToDeadInstance(run.runId(), 4);

        Run failed = awaitEnded(run.runId());
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error()).contains("abandoned after 5 deliveries");
        assertThat(failed.executionLog()).extracting(StepRecord::status).containsOnly(StepStatus.SKIPPED);
        assertThat(pendingCount()).isZero();
    }

    private Run twoStepRun() {
        Plan plan = new Plan(List.of(
                new PlanStep(1, "calculator", mapper.createObjectNode().put("expression", "1 + 1"), "a", List.of()),
                new PlanStep(2, "calculator",
                        mapper.createObjectNode().put("expression", "({{steps.1.output}}) * 10"), "b", null)));
        return Run.planned(UUID.randomUUID(), Run.DEFAULT_TENANT, "recovery", PlanningOutcome.byRules(plan, null), Instant.now());
    }

    private void handToDeadInstance(UUID runId, int deliveries) throws Exception {
        try {
            nodeFor(RunKeyNames.queue(runId)).command("EVAL", CREATE_GROUP, "1", RunKeyNames.queue(runId));
        } catch (RuntimeException groupExists) {
            // created by the app already
        }
        String reply = nodeFor(RunKeyNames.queue(runId)).command("EVAL", ADD_AND_READ_AS_DEAD, "1",
                RunKeyNames.queue(runId), runId.toString(), Integer.toString(deliveries));
        assertThat(reply).startsWith("$");
    }

    private Run awaitEnded(UUID runId) {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> store.find(runId).await().atMost(Duration.ofSeconds(2)).orElseThrow(),
                        found -> found.status().isTerminal());
    }

    /** Entries left in every queue partition (0 once they are all acknowledged). */
    private long pendingCount() throws Exception {
        return await().atMost(Duration.ofSeconds(5)).until(() -> {
            long total = 0;
            for (int partition = 0; partition < 16; partition++) {
                String queue = RunKeyNames.queue(partition);
                total += Long.parseLong(nodeFor(queue).command("XLEN", queue).substring(1));
            }
            return total;
        }, length -> length == 0);
    }
}
