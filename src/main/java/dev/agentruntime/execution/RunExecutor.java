package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.planning.PlanReferences;
import dev.agentruntime.run.AgentException;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.run.StepStatus;
import dev.agentruntime.store.CancellationSignals;
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
 * Executes a planned run, or resumes one whose executor died: only steps not yet completed run. Steps whose
 * dependencies are done run together (at most {@code agent.execution.max-parallel-steps} at once); the run is saved
 * after every such wave, before any step that depends on it starts. A failed step fails the run with an error
 * naming it, and steps not run are skipped. A cancellation request stops the run at the wave in flight.
 */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    private final ToolRegistry tools;
    private final StepInvoker invoker;
    private final InputResolver resolver;
    private final RunStore store;
    private final RunEvents events;
    private final CancellationSignals signals;
    private final LocalCancellations cancellations;
    private final ExecutionConfig config;
    private final Clock clock;

    public RunExecutor(ToolRegistry tools, StepInvoker invoker, InputResolver resolver, RunStore store,
                       RunEvents events, CancellationSignals signals, LocalCancellations cancellations,
                       ExecutionConfig config, Clock clock) {
        this.tools = tools;
        this.invoker = invoker;
        this.resolver = resolver;
        this.store = store;
        this.events = events;
        this.signals = signals;
        this.cancellations = cancellations;
        this.config = config;
        this.clock = clock;
    }

    /** Runs every step not yet completed and returns the run as it ended (already saved), or as another left it. */
    public Uni<Run> execute(Run run) {
        if (run.status().isTerminal()) {
            return Uni.createFrom().item(run);
        }
        Run started = run.started(clock.instant());
        // Only one party moves a run out of "pending": this executor, or a client cancelling it.
        return store.transition(run.status(), started).flatMap(moved -> {
            if (!moved) {
                return store.find(run.runId()).map(current -> current.orElse(run));
            }
            cancellations.register(run.runId());
            Uni<Void> announce = run.status() == RunStatus.PENDING ? events.runStarted(started)
                    : Uni.createFrom().voidItem();
            return announce.flatMap(ok -> proceed(started))
                    .onTermination().invoke(() -> cancellations.unregister(run.runId()));
        });
    }

    /** Ends a run whose executors keep dying before it finishes. */
    public Uni<Run> abandon(Run run, int deliveries) {
        if (run.status().isTerminal()) {
            return Uni.createFrom().item(run);
        }
        return finish(run.failed("the run was abandoned after " + deliveries
                + " deliveries: every executor that took it stopped before it finished", clock.instant()));
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
        return signals.isRequested(run.runId()).flatMap(requested -> {
            if (requested) {
                return cancel(run);
            }
            Uni<Optional<List<StepRecord>>> wave = Uni.join()
                    .all(ready.stream().map(step -> runStep(run, step)).toList()).andFailFast()
                    .map(Optional::of);
            Uni<Optional<List<StepRecord>>> cancelled = cancellations.signal(run.runId()).map(x -> Optional.empty());
            return Uni.combine().any().of(wave, cancelled).flatMap(records -> {
                if (records.isEmpty()) {
                    return cancel(run);
                }
                Run next = run;
                for (StepRecord record : records.get()) {
                    next = next.withStep(record);
                }
                Run snapshot = next;
                return store.save(snapshot).flatMap(saved -> proceed(snapshot));
            });
        });
    }

    /** Never fails: whatever goes wrong becomes a failed step record. */
    private Uni<StepRecord> runStep(Run run, PlanStep step) {
        StepRecord pending = run.step(step.stepNumber());
        StepRecord running;
        Tool tool;
        try {
            JsonNode input = resolver.resolve(step.toolInput(), run);
            running = pending.running(input, clock.instant());
            tool = tools.find(step.toolName()).orElseThrow();
            tools.validate(tool.name(), input);
        } catch (AgentException e) {
            StepRecord failed = pending.running(step.toolInput(), clock.instant()).failed(e.getMessage(), 0,
                    clock.instant());
            return events.stepEnded(run, failed).replaceWith(failed);
        }
        StepAttempts attempts = new StepAttempts(attempt -> events.stepRetrying(run, step.stepNumber(), attempt)
                .subscribe().with(ok -> { }));
        ToolContext context = new ToolContext(run.runId(), step.stepNumber());
        return events.stepStarted(run, running)
                .flatMap(ok -> invoker.invoke(tool, running.toolInput(), context, attempts))
                .map(output -> running.completed(output, attempts.count(), clock.instant()))
                .onFailure().recoverWithItem(failure ->
                        running.failed(describe(failure, step), Math.max(1, attempts.count()), clock.instant()))
                .call(record -> events.stepEnded(run, record));
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

    private Uni<Run> cancel(Run run) {
        return finish(run.cancelled("cancelled by request", clock.instant()))
                .call(ended -> signals.clear(run.runId()).onFailure().recoverWithNull());
    }

    private Uni<Run> finish(Run run) {
        return store.save(run).flatMap(saved -> events.runEnded(run)).replaceWith(run);
    }
}
