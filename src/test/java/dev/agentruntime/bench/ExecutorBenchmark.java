package dev.agentruntime.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.execution.RunExecutor;
import dev.agentruntime.planning.PlanningService;
import dev.agentruntime.run.Plan;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.PlanningOutcome;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.store.RunStore;
import io.quarkus.arc.Arc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * What the runtime itself costs per run, on the memory store, through the same CDI beans (and so the same
 * fault-tolerance interceptors, journal, events and metrics) as the service. Run by {@link ExecutorBenchmarkTest}
 * inside a started Quarkus application; JMH measures in that JVM (forks = 0) because the beans live there.
 * <ul>
 *   <li>{@code plan*}: the rule planner and plan validation alone;</li>
 *   <li>{@code noop*}: executing an already-made plan whose steps call a tool that does nothing;</li>
 *   <li>{@code run*}: planning a calculator prompt, storing the run and executing it (what a POST does, minus
 *   HTTP and the queue hand-off).</li>
 * </ul>
 * Every executing benchmark checks the run ended {@code completed}, so a broken path cannot look fast.
 */
@State(Scope.Benchmark)
public class ExecutorBenchmark {

    static final String ONE_STEP = "calculate 1 + 1";
    static final String FIVE_STEPS = "calculate 1 + 1; calculate 2 + 2; calculate 3 + 3; calculate 4 + 4; calculate 5 + 5";

    private PlanningService planning;
    private RunExecutor executor;
    private RunStore store;
    private Clock clock;
    private PlanningOutcome noopOneStep;
    private PlanningOutcome noopFiveSteps;

    @Setup
    public void lookUpBeans() {
        var container = Arc.container();
        planning = container.instance(PlanningService.class).get();
        executor = container.instance(RunExecutor.class).get();
        store = container.instance(RunStore.class).get();
        clock = container.instance(Clock.class).get();
        ObjectMapper mapper = container.instance(ObjectMapper.class).get();
        noopOneStep = noopPlan(mapper, 1);
        noopFiveSteps = noopPlan(mapper, 5);
    }

    @Benchmark
    public PlanningOutcome planOneStep() {
        return planning.plan(Run.DEFAULT_TENANT, ONE_STEP).await().indefinitely();
    }

    @Benchmark
    public PlanningOutcome planFiveSteps() {
        return planning.plan(Run.DEFAULT_TENANT, FIVE_STEPS).await().indefinitely();
    }

    @Benchmark
    public Run noopOneStep() {
        return execute(noopOneStep);
    }

    @Benchmark
    public Run noopFiveSteps() {
        return execute(noopFiveSteps);
    }

    @Benchmark
    public Run runOneStep() {
        return execute(planning.plan(Run.DEFAULT_TENANT, ONE_STEP).await().indefinitely());
    }

    @Benchmark
    public Run runFiveSteps() {
        return execute(planning.plan(Run.DEFAULT_TENANT, FIVE_STEPS).await().indefinitely());
    }

    private Run execute(PlanningOutcome outcome) {
        Run run = Run.planned(UUID.randomUUID(), Run.DEFAULT_TENANT, "benchmark", outcome, clock.instant());
        Run ended = store.save(run).flatMap(saved -> executor.execute(run)).await().indefinitely();
        if (ended.status() != RunStatus.COMPLETED || ended.executionLog().size() != outcome.plan().steps().size()) {
            throw new IllegalStateException("benchmark run did not complete: " + ended.status() + " " + ended.error());
        }
        return ended;
    }

    private static PlanningOutcome noopPlan(ObjectMapper mapper, int steps) {
        List<PlanStep> plan = IntStream.rangeClosed(1, steps)
                .mapToObj(n -> new PlanStep(n, "test_noop", mapper.createObjectNode().put("key", "bench-" + n),
                        "does nothing", null))
                .toList();
        return PlanningOutcome.byRules(new Plan(plan), null);
    }
}
