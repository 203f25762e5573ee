package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.planning.PlanReferences;
import dev.agentruntime.run.AgentException;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.run.StepStatus;
import dev.agentruntime.store.RunStore;
import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolContext;
import dev.agentruntime.tools.ToolRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Executes a planned run. Steps whose dependencies are done run together (at most
 * {@code agent.execution.max-parallel-steps} at once); the run is saved after every such wave, before any step
 * that depends on it starts. A failed step fails the run with an error naming it, and steps not run are skipped.
 */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    private final ToolRegistry tools;
    private final StepInvoker invoker;
    private final InputResolver resolver;
    private final RunStore store;
    private final RunWatchers watchers;
    private final ExecutionConfig config;
    private final Clock clock;

    public RunExecutor(ToolRegistry tools, StepInvoker invoker, InputResolver resolver, RunStore store,
                       RunWatchers watchers, ExecutionConfig config, Clock clock) {
        this.tools = tools;
        this.invoker = invoker;
        this.resolver = resolver;
        this.store = store;
        this.watchers = watchers;
        this.config = config;
        this.clock = clock;
    }

    /** Runs every step not yet completed and returns the terminal run, already saved. */
    public Uni<Run> execute(Run run) {
        Run started = run.started(clock.instant());
        return store.save(started).flatMap(saved -> proceed(started));
    }

    private Uni<Run> proceed(Run run) {
        Optional<StepRecord> failed = run.executionLog().stream()
                .filter(s -> s.status() == StepStatus.FAILED).findFirst();
        if (failed.isPresent()) {
            StepRecord step = failed.get();
            return finish(run.failed("step " + step.stepNumber() + " (" + step.toolName() + ") failed: "
                    + step.error(), clock.instant()));
        }
        if (run.executionLog().stream().allMatch(StepRecord::isDone)) {
            List<StepRecord> log = run.executionLog();
            return finish(run.completed(log.get(log.size() - 1).output(), clock.instant()));
        }
        List<PlanStep> ready = run.plan().steps().stream()
                .filter(step -> run.step(step.stepNumber()).status() == StepStatus.PENDING)
                .filter(step -> dependencies(step).stream().allMatch(d -> run.step(d).isDone()))
                .limit(Math.max(1, config.maxParallelSteps()))
                .toList();
        if (ready.isEmpty()) {
            return finish(run.failed("no step can start: the plan's dependencies form a cycle", clock.instant()));
        }
        List<Uni<StepRecord>> wave = ready.stream().map(step -> runStep(run, step)).toList();
        return Uni.join().all(wave).andFailFast()
                .flatMap(records -> {
                    Run next = run;
                    for (StepRecord record : records) {
                        next = next.withStep(record);
                    }
                    Run snapshot = next;
                    return store.save(snapshot).flatMap(saved -> proceed(snapshot));
                });
    }

    /** Never fails: whatever goes wrong becomes a failed step record. */
    private Uni<StepRecord> runStep(Run run, PlanStep step) {
        StepRecord pending = run.step(step.stepNumber());
        StepAttempts attempts = new StepAttempts(attempt -> LOG.debugf("run %s step %d: attempt %d",
                run.runId(), step.stepNumber(), attempt));
        StepRecord running;
        Tool tool;
        try {
            JsonNode input = resolver.resolve(step.toolInput(), run);
            running = pending.running(input, clock.instant());
            tool = tools.find(step.toolName()).orElseThrow();
            tools.validate(tool.name(), input);
        } catch (AgentException e) {
            return Uni.createFrom().item(pending.running(step.toolInput(), clock.instant())
                    .failed(e.getMessage(), 0, clock.instant()));
        }
        ToolContext context = new ToolContext(run.runId(), step.stepNumber());
        return invoker.invoke(tool, running.toolInput(), context, attempts)
                .map(output -> running.completed(output, attempts.count(), clock.instant()))
                .onFailure().recoverWithItem(failure ->
                        running.failed(describe(failure, step), Math.max(1, attempts.count()), clock.instant()));
    }

    /** Explicit {@code depends_on} (absent: the previous step) plus every step a placeholder reads. */
    static Set<Integer> dependencies(PlanStep step) {
        Set<Integer> dependencies = new TreeSet<>(PlanReferences.referencedSteps(step.toolInput()));
        if (step.dependsOn() != null) {
            dependencies.addAll(step.dependsOn());
        } else if (step.stepNumber() > 1) {
            dependencies.add(step.stepNumber() - 1);
        }
        return dependencies;
    }

    private String describe(Throwable failure, PlanStep step) {
        if (failure instanceof TimeoutException) {
            return "timed out after " + config.stepTimeoutMs() + " ms";
        }
        if (failure instanceof AgentException) {
            return failure.getMessage();
        }
        LOG.errorf(failure, "tool %s failed unexpectedly in step %d", step.toolName(), step.stepNumber());
        return "the tool failed unexpectedly (" + failure.getClass().getSimpleName() + ")";
    }

    private Uni<Run> finish(Run run) {
        return store.save(run).invoke(() -> watchers.terminated(run)).replaceWith(run);
    }
}
