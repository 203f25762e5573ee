package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.approval.ApprovalPolicy;
import dev.agentruntime.approval.InputHash;
import dev.agentruntime.planning.PlanReferences;
import dev.agentruntime.planning.PlanningService;
import dev.agentruntime.run.AgentException;
import dev.agentruntime.run.Approval;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunLifecycle;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.RunTrigger;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.run.StepStatus;
import dev.agentruntime.run.ToolException;
import dev.agentruntime.run.TransientToolException;
import dev.agentruntime.observability.RunTelemetry;
import dev.agentruntime.observability.RunTelemetry.RunScope;
import dev.agentruntime.store.JournalEvent;
import dev.agentruntime.store.RunJournal;
import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.RunStore;
import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolContext;
import dev.agentruntime.tools.ToolRegistry;
import dev.agentruntime.observability.AuditLog;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Executes a planned run, or resumes one whose executor died: only steps not yet completed run. Steps whose
 * dependencies are done run together (at most {@code agent.execution.max-parallel-steps} at once); each step is
 * journaled with its event as it ends, before any step that depends on it starts. A failed step fails the run with
 * an error naming it, and steps not run are skipped. A cancellation request stops the run at the wave in flight: it
 * interrupts the calls of interruptible tools, lets the others return, and records each step of the wave as it
 * really ended (completed, failed, or interrupted) before the run ends cancelled, so the record never says a step
 * was skipped whose tool was called. A run that another party ended meanwhile (another instance that took it over,
 * say) stops this executor at its next write: the store refuses it.
 */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    private final ToolRegistry tools;
    private final StepInvoker invoker;
    private final InputResolver resolver;
    private final RunStore store;
    private final RunJournal journal;
    private final RunEvents events;
    private final RunWaiters waiters;
    private final Cancellations cancellations;
    private final RunEndHook ends;
    private final RunTelemetry telemetry;
    private final AuditLog audit;
    private final PlanningService planning;
    private final ApprovalPolicy approvals;
    private final ExecutionConfig config;
    private final ObjectMapper mapper;
    private final Clock clock;

    public RunExecutor(ToolRegistry tools, StepInvoker invoker, InputResolver resolver, RunStore store,
                       RunJournal journal, RunEvents events, RunWaiters waiters, Cancellations cancellations,
                       RunEndHook ends, RunTelemetry telemetry, AuditLog audit, PlanningService planning,
                       ApprovalPolicy approvals, ExecutionConfig config, ObjectMapper mapper, Clock clock) {
        this.tools = tools;
        this.invoker = invoker;
        this.resolver = resolver;
        this.store = store;
        this.journal = journal;
        this.events = events;
        this.waiters = waiters;
        this.cancellations = cancellations;
        this.ends = ends;
        this.telemetry = telemetry;
        this.audit = audit;
        this.planning = planning;
        this.approvals = approvals;
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Runs every step not yet completed and returns the run as it ended (already saved), or as another left it. */
    public Uni<Run> execute(Run run) {
        if (run.status().isTerminal()) {
            return Uni.createFrom().item(run);
        }
        boolean resumed = run.status() != RunStatus.PENDING;
        Optional<RunLifecycle.Transition> claim = RunLifecycle.find(run.status(),
                resumed ? RunTrigger.RESUME : RunTrigger.START);
        if (claim.isEmpty()) {
            // Awaiting approval: no executor moves it on (a decision does, and queues it again); answer it as stored.
            return store.find(run.runId()).map(current -> current.orElse(run));
        }
        FirstStart start = resumed ? new FirstStart(run.resumed(clock.instant()), List.of(), Optional.empty())
                : firstStart(run);
        // Only one party moves a run out of "pending": this executor, or a client cancelling it.
        Uni<Boolean> claimed = journal.apply(claim.get(), start.started(), start.events());
        // Registered before it starts, so that no notice to stop it is missed once it has.
        cancellations.register(run.runId());
        return claimed.flatMap(moved -> moved ? fromStart(start, resumed, false)
                        : store.find(run.runId()).map(current -> current.orElse(run)))
                .onTermination().invoke(() -> cancellations.unregister(run.runId()));
    }

    /**
     * The start of {@code pending}, for its submission to write when this instance takes the run at once (ADR 0035):
     * the START row's run and events, exactly as {@link #execute} would write them; {@link #executeStarted} goes on
     * from it.
     */
    public RunQueue.Start startOf(Run pending) {
        return firstStart(pending);
    }

    /**
     * Goes on with a run its submission started from {@link #startOf}: the START write is done, so the run proceeds
     * as after this executor's own claim. It was registered for cancellation notices only now, after the write: a
     * notice sent in between reached no one here, so its first check reads the durable flag.
     */
    public Uni<Run> executeStarted(RunQueue.Start start) {
        if (!(start instanceof FirstStart first)) {
            throw new IllegalArgumentException("not a start made by startOf: " + start);
        }
        UUID runId = first.started().runId();
        cancellations.register(runId);
        return fromStart(first, false, true).onTermination().invoke(() -> cancellations.unregister(runId));
    }

    /**
     * A run's start: the run as its START (or RESUME) row leaves it, that write's events, and the first wave whose
     * starts ride it (a fresh run's first steps start with the write that starts it, ADR 0034); why a run is
     * started by its submission's write is ADR 0035.
     */
    private record FirstStart(Run started, List<JournalEvent> events, Optional<List<Begun>> wave)
            implements RunQueue.Start {
    }

    private FirstStart firstStart(Run pending) {
        Run started = pending.started(clock.instant());
        Optional<List<Begun>> wave = nextWave(started, false);
        List<JournalEvent> startEvents = new ArrayList<>();
        startEvents.add(events.started(started));
        wave.ifPresent(begun -> begun.forEach(step -> startEvents.add(events.stepStart(started, step.running()))));
        return new FirstStart(started, startEvents, wave);
    }

    /** After the start's write: the run proceeds, its first wave (already announced) checked for a stop first. */
    private Uni<Run> fromStart(FirstStart start, boolean resumed, boolean registeredAfterStart) {
        RunScope scope = telemetry.runStarted(start.started(), resumed);
        LiveRun live = new LiveRun(journal, start.started(), resumed, registeredAfterStart);
        if (start.wave().isEmpty()) {
            return proceed(live, scope);
        }
        // The wave's starts are written: a request to stop seen since ends its steps before their tools are called.
        List<Begun> wave = start.wave().get();
        return cancelRequested(live).flatMap(requested -> requested
                ? notCalled(live, wave, scope)
                : runWave(live, wave, scope));
    }

    /** Ends a run whose executors keep dying before it finishes. */
    public Uni<Run> abandon(Run run, int deliveries) {
        // A run awaiting approval has no executor to lose: its decision (or expiry) ends or resumes it.
        if (run.status().isTerminal() || run.status() == RunStatus.AWAITING_APPROVAL) {
            return Uni.createFrom().item(run);
        }
        String reason = "the run was abandoned after " + deliveries
                + " deliveries: every executor that took it stopped before it finished";
        return finish(new LiveRun(journal, run, true), r -> r.abandoned(reason, clock.instant()), null);
    }

    private Uni<Run> proceed(LiveRun live, RunScope scope) {
        if (live.endedElsewhere()) {
            return stopped(live, scope);
        }
        Run run = live.current();
        if (run.status() == RunStatus.COMPLETED) {
            // Its last step's write completed it (see journalStep).
            return ends.ended(scope, run, live.cancelling());
        }
        if (run.executionLog().stream().anyMatch(s -> s.status() == StepStatus.INTERRUPTED)) {
            // A cancellation stopped a step of the last wave: the run ends cancelled, whatever else the wave did.
            return cancel(live, scope);
        }
        Optional<StepRecord> failed = run.executionLog().stream()
                .filter(s -> s.status() == StepStatus.FAILED).findFirst();
        if (failed.isPresent()) {
            StepRecord step = failed.get();
            String reason = "step " + step.stepNumber() + " (" + step.toolName() + ") failed: " + step.error();
            return finish(live, r -> r.failed(reason, clock.instant()), scope);
        }
        if (run.executionLog().stream().allMatch(StepRecord::isDone)) {
            return finish(live, r -> r.completed(r.executionLog().get(r.executionLog().size() - 1).output(),
                    clock.instant()), scope);
        }
        // Steps whose dependencies are done run now, unless a person must approve them first; the first such step
        // is asked about once nothing else can run.
        List<PlanStep> ready = new ArrayList<>();
        PlanStep toApprove = null;
        for (PlanStep step : run.plan().steps()) {
            if (!isReady(step, run)) {
                continue;
            }
            if (needsApproval(step, run)) {
                toApprove = toApprove == null ? step : toApprove;
            } else if (ready.size() < Math.max(1, config.maxParallelSteps())) {
                ready.add(step);
            }
        }
        if (ready.isEmpty() && toApprove != null) {
            PlanStep asked = toApprove;
            return cancelRequested(live).flatMap(requested -> requested ? cancel(live, scope)
                    : requestApproval(live, asked, scope));
        }
        if (ready.isEmpty()) {
            return finish(live, r -> r.failed("no step can start: the plan's dependencies form a cycle",
                    clock.instant()), scope);
        }
        return cancelRequested(live).flatMap(requested -> {
            if (requested) {
                return cancel(live, scope);
            }
            return runWave(live, ready.stream().map(step -> new Begun(step, null, null)).toList(), scope);
        });
    }

    /**
     * A step of a wave: its start already written with the write before it ({@code running} and {@code tool} set, see
     * {@link #nextWave}), or still to be announced (both null).
     */
    private record Begun(PlanStep step, StepRecord running, Tool tool) {
        boolean announced() {
            return running != null;
        }
    }

    /**
     * Runs a wave. Each step is journaled as it ends, so a crash mid-wave loses no completed step. A cancellation does
     * not cut the wave short: each step settles (see unlessInterrupted) and is journaled as it ended. A wave of one
     * step (a sequential plan's every step) has its record written with the next wave's starts (see afterOnlyStep).
     */
    private Uni<Run> runWave(LiveRun live, List<Begun> wave, RunScope scope) {
        if (wave.size() == 1) {
            return callStep(live, wave.get(0), scope).flatMap(record -> afterOnlyStep(live, record, scope));
        }
        return Uni.join().all(wave.stream().map(begun -> callStep(live, begun, scope)
                        .flatMap(record -> journalStep(live, record))).toList())
                .andFailFast().flatMap(done -> proceed(live, scope));
    }

    /**
     * After a wave's only step: when it completed, the run goes on, no stop was asked for and the next wave can start
     * at once ({@link #nextWave}), the step's record and the next wave's starts are one write, and that wave runs.
     * Otherwise the record is written alone and the run proceeds as after any wave. Either way the record is durable
     * before a step that reads it starts.
     */
    private Uni<Run> afterOnlyStep(LiveRun live, StepRecord record, RunScope scope) {
        Run after = live.current().withStep(record);
        if (record.status() != StepStatus.COMPLETED || after.status() != RunStatus.RUNNING
                || after.executionLog().stream().allMatch(StepRecord::isDone)) {
            return journalStep(live, record).flatMap(ok -> proceed(live, scope));
        }
        return cancelRequested(live).flatMap(requested -> {
            Optional<List<Begun>> next = requested ? Optional.empty() : nextWave(after, live.resumed());
            if (next.isEmpty()) {
                return journalStep(live, record).flatMap(ok -> proceed(live, scope));
            }
            Function<Run, List<JournalEvent>> recordAndStarts = stepped -> {
                List<JournalEvent> appended = new ArrayList<>();
                appended.add(events.step(stepped, record));
                next.get().forEach(begun -> appended.add(events.stepStart(stepped, begun.running())));
                return appended;
            };
            if (mayWait(record, next.get(), live.current())) {
                live.hold(r -> r.withStep(record), recordAndStarts);
                return runWave(live, next.get(), scope);
            }
            return live.apply(r -> r.withStep(record), recordAndStarts)
                    .flatMap(stepped -> live.endedElsewhere() ? stopped(live, scope) : runWave(live, next.get(), scope));
        });
    }

    /**
     * Whether a completed step's record and the next wave's starts may ride the write after that wave (ADR 0037)
     * rather than be written before it: the next wave is one step whose tool is quick and idempotent, and the
     * completed step's tool is idempotent. A crash before that write replays both steps, with the same effect
     * (the todo found, not written twice) and nothing lost that a client was told: the run's answer follows a write.
     */
    private boolean mayWait(StepRecord record, List<Begun> next, Run run) {
        if (next.size() != 1 || !next.get(0).tool().quick() || !next.get(0).tool().idempotent()) {
            return false;
        }
        return tools.find(record.toolName(), run.tenant()).map(Tool::idempotent).orElse(false);
    }

    /**
     * The wave {@code run} would start next, as it will start, when its starts can ride the write before it: every
     * step ready, at most {@code max-parallel-steps}, none waiting for a person, each tool there and each input
     * resolved and valid, and, in a resumed run, every tool idempotent (a tool that is not must first be checked
     * against the run's events, see {@link #start}). Empty otherwise: the wave is then found and announced as always.
     */
    private Optional<List<Begun>> nextWave(Run run, boolean resumed) {
        List<Begun> wave = new ArrayList<>();
        for (PlanStep step : run.plan().steps()) {
            if (!isReady(step, run)) {
                continue;
            }
            if (needsApproval(step, run) || wave.size() == Math.max(1, config.maxParallelSteps())) {
                return Optional.empty();
            }
            try {
                Call call = call(step, run);
                if (resumed && !call.tool().idempotent()) {
                    return Optional.empty();
                }
                wave.add(new Begun(step, run.step(step.stepNumber()).running(call.input(), clock.instant()),
                        call.tool()));
            } catch (AgentException e) {
                return Optional.empty();
            }
        }
        return wave.isEmpty() ? Optional.empty() : Optional.of(wave);
    }

    /** Pending, and every step it depends on done. */
    private boolean isReady(PlanStep step, Run run) {
        return run.step(step.stepNumber()).status() == StepStatus.PENDING
                && dependencies(step).stream().allMatch(d -> run.step(d).isDone());
    }

    /** A step's call as it would run now: its tool and its input (approved, or resolved), checked. */
    private record Call(Tool tool, JsonNode input) {
    }

    /**
     * The step's call: the input a person approved, else the plan's resolved against earlier outputs; the tool as this
     * tenant has it (the plan was valid when it was made, but the tool may have gone since: its MCP server left, say);
     * the input checked against the tool's schema.
     *
     * @throws AgentException when the input cannot be resolved, the tool is not there or refuses the input
     */
    private Call call(PlanStep step, Run run) {
        JsonNode input = approvedInput(run, step).orElseGet(() -> resolver.resolve(step.toolInput(), run));
        Tool tool = tools.find(step.toolName(), run.tenant()).orElseThrow(() -> new ToolException(
                "tool '" + step.toolName() + "' is not available"));
        tools.validate(tool.name(), input);
        return new Call(tool, input);
    }

    /** A wave whose starts were written, stopped before any of its tools was called: its steps end interrupted. */
    private Uni<Run> notCalled(LiveRun live, List<Begun> wave, RunScope scope) {
        return Uni.join().all(wave.stream().map(begun -> journalStep(live, begun.running().interrupted(
                        "the run was cancelled before the tool was called: the call did not happen", 0,
                        clock.instant()))).toList())
                .andFailFast().flatMap(done -> proceed(live, scope));
    }

    /** Whether the run was asked to stop: the durable flag, except where the notice serves (see LiveRun). */
    private Uni<Boolean> cancelRequested(LiveRun live) {
        UUID runId = live.current().runId();
        return live.firstWaveOfFreshRun() ? Uni.createFrom().item(cancellations.noticedHere(runId))
                : cancellations.isRequested(runId);
    }

    /** The step's tool needs a person's approval, and the run holds no approval of that step yet. */
    private boolean needsApproval(PlanStep step, Run run) {
        if (run.approval() != null && run.approval().approves(step.stepNumber())) {
            return false;
        }
        return tools.find(step.toolName(), run.tenant()).map(approvals::requires).orElse(false);
    }

    /**
     * Pauses the run until a person decides about {@code step}, exactly as it would run: its input resolved, checked
     * against the tool's schema (a person is never asked to approve a call that cannot run) and hashed. The executor
     * then lets go of the run: the wait holds no thread and no queue entry; a decision queues the run again.
     */
    private Uni<Run> requestApproval(LiveRun live, PlanStep step, RunScope scope) {
        Run run = live.current();
        Call call;
        try {
            call = call(step, run);
        } catch (AgentException e) {
            StepRecord failed = run.step(step.stepNumber()).running(step.toolInput(), clock.instant())
                    .failed(e.getMessage(), 0, clock.instant());
            return journalStep(live, failed).flatMap(ok -> proceed(live, scope));
        }
        Instant now = clock.instant();
        Approval request = Approval.requested(step.stepNumber(), call.tool().name(), call.input(),
                InputHash.of(run.runId(), step.stepNumber(), call.tool().name(), call.input()), now,
                now.plus(approvals.timeout()));
        return live.apply(r -> r.awaitingApproval(request), next -> List.of(events.approval(next)))
                .flatMap(paused -> {
                    if (live.endedElsewhere()) {
                        return stopped(live, scope);
                    }
                    telemetry.runPaused(scope);
                    waiters.settled(paused);
                    return Uni.createFrom().item(paused);
                });
    }

    /**
     * Calls a step's tool and answers its record, not yet journaled. Never fails: whatever goes wrong becomes a failed
     * step record.
     */
    private Uni<StepRecord> callStep(LiveRun live, Begun begun, RunScope scope) {
        Run run = live.current();
        PlanStep step = begun.step();
        StepRecord pending = run.step(step.stepNumber());
        StepRecord running;
        Tool tool;
        if (begun.announced()) {
            running = begun.running();
            tool = begun.tool();
        } else {
            try {
                Call call = call(step, run);
                running = pending.running(call.input(), clock.instant());
                tool = call.tool();
            } catch (AgentException e) {
                planning.forget(run.planCacheKey());
                return Uni.createFrom().item(pending.running(step.toolInput(), clock.instant())
                        .failed(e.getMessage(), 0, clock.instant()));
            }
        }
        // A retry's event is written apart from the run: what the run holds back is written first (ADR 0037).
        StepAttempts attempts = new StepAttempts(attempt -> live.flush()
                .flatMap(ok -> events.stepRetrying(run, step.stepNumber(), attempt))
                .subscribe().with(ok -> { }, failure -> { }));
        Span span = telemetry.stepStarted(scope, run, step.stepNumber(), tool.name());
        ToolContext context = new ToolContext(run.runId(), step.stepNumber(), run.tenant(),
                Context.root().with(span));
        boolean[] timedOut = {false};
        // A step that is asked to take long (a wait), or whose tool keeps its own time (an MCP server's timeout),
        // gets that long on top of the usual allowance, and running out of it is not retried; nor is a timeout of
        // a tool that is not idempotent, since the call may have had its effect.
        Optional<Duration> expected = tool.expectedDuration(running.toolInput()).or(tool::timeLimit);
        Duration allowed = Duration.ofMillis(config.stepTimeoutMs()).plus(expected.orElse(Duration.ZERO));
        boolean timeoutsFinal = expected.isPresent() || !tool.idempotent();
        Uni<Void> announced = begun.announced() ? Uni.createFrom().voidItem() : start(live, running, tool);
        return announced
                .flatMap(ok -> unlessInterrupted(tool, run.runId(), () -> timeoutsFinal
                        ? invoker.invokeWithin(tool, running.toolInput(), context, attempts, allowed)
                        : invoker.invoke(tool, running.toolInput(), context, attempts)))
                .map(output -> running.completed(withinBounds(output), attempts.count(), clock.instant()))
                .onFailure().recoverWithItem(failure -> {
                    if (failure instanceof Interrupted interrupted) {
                        return running.interrupted(interrupted.getMessage(), attempts.count(), clock.instant());
                    }
                    timedOut[0] = failure instanceof TimeoutException;
                    if (causedByThePlan(failure)) {
                        planning.forget(run.planCacheKey());
                    }
                    return running.failed(describe(failure, step, allowed), Math.max(1, attempts.count()),
                            clock.instant());
                })
                .invoke(record -> {
                    telemetry.stepEnded(span, run, record, timedOut[0]);
                    if (!Tool.BUILT_IN.equals(tool.source())) {
                        audit.toolCalled(run.tenant(), run.runId().toString(), record.stepNumber(), tool.name(),
                                tool.source(), record.status().wireName());
                    }
                });
    }

    /**
     * The tool's call, which a cancellation of the run stops when the tool is {@link Tool#interruptible}: the call is
     * cancelled and the step fails with {@link Interrupted}, unless the tool answered first (then it completed). A
     * tool that is not interruptible is left to return, so that its step records what it did. Written as one emitter
     * rather than a Uni race, which would cost two CompletableFutures and a cancellation exception per step.
     */
    private Uni<JsonNode> unlessInterrupted(Tool tool, UUID runId, Supplier<Uni<JsonNode>> call) {
        if (!tool.interruptible()) {
            return call.get();
        }
        if (cancellations.noticedHere(runId)) {
            return Uni.createFrom().failure(new Interrupted("the run was cancelled before the tool was called: "
                    + "the call did not happen"));
        }
        return Uni.createFrom().emitter(emitter -> {
            AtomicBoolean settled = new AtomicBoolean();
            Cancellable running = call.get().subscribe().with(
                    output -> {
                        if (settled.compareAndSet(false, true)) {
                            emitter.complete(output);
                        }
                    },
                    failure -> {
                        if (settled.compareAndSet(false, true)) {
                            emitter.fail(failure);
                        }
                    });
            cancellations.whenRequested(runId, () -> {
                if (settled.compareAndSet(false, true)) {
                    running.cancel();
                    emitter.fail(new Interrupted("interrupted: the run was cancelled while the tool was running; "
                            + "the call may have had its effect"));
                }
            });
        });
    }

    /** A step's call stopped by the run's cancellation; the message is the step's error. */
    private static final class Interrupted extends RuntimeException {
        Interrupted(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The input a person approved for this step, which is what runs: checked against the hash the decision quoted,
     * so a stored request that was altered since fails the step instead of running something nobody approved.
     */
    private static Optional<JsonNode> approvedInput(Run run, PlanStep step) {
        Approval approval = run.approval();
        if (approval == null || !approval.approves(step.stepNumber())) {
            return Optional.empty();
        }
        if (!InputHash.of(run.runId(), step.stepNumber(), approval.toolName(), approval.toolInput())
                .equals(approval.inputHash()) || !approval.toolName().equals(step.toolName())) {
            throw new ToolException("the approved call does not match its hash: not run");
        }
        return Optional.of(approval.toolInput());
    }

    /**
     * The tool refused what the plan gave it (a syntax error, an unknown todo, a size cap): the same plan would fail
     * again. A timeout, a transient failure or a store outage says nothing about the plan.
     */
    private static boolean causedByThePlan(Throwable failure) {
        return failure instanceof ToolException && !(failure instanceof TransientToolException);
    }

    /**
     * Announces the step. A tool that is not idempotent is called at most once per step, even across a crash: its
     * start must be recorded before the call, and a resumed run whose events show the step had started fails the
     * step instead of calling the tool again.
     */
    private Uni<Void> start(LiveRun live, StepRecord running, Tool tool) {
        Run run = live.current();
        if (tool.idempotent()) {
            return events.stepStarted(run, running);
        }
        Uni<Boolean> startedBefore = live.resumed() ? events.wasStarted(run.runId(), running.stepNumber())
                : Uni.createFrom().item(false);
        return startedBefore.flatMap(started -> started
                ? Uni.createFrom().failure(new ToolException("not called again after the run resumed: the step had "
                + "started before its executor stopped, and '" + tool.name() + "' is not idempotent, so the call "
                + "may have had its effect"))
                : events.stepStartedDurably(run, running));
    }

    /**
     * A step's output is stored in the run, its events and the run's result: one that is too large fails the step,
     * saying so, rather than grow every copy (a list of 50,000 todos once filled the heap). Failing is clearer than
     * a truncated value that a later step would read as if it were whole.
     */
    private JsonNode withinBounds(JsonNode output) {
        long size = OutputSize.of(mapper, output, config.maxOutputBytes());
        if (size > config.maxOutputBytes()) {
            throw new ToolException("the tool's output is more than " + config.maxOutputBytes()
                    + " bytes of JSON, the most a step may return (agent.execution.max-output-bytes)");
        }
        return output;
    }

    /**
     * Saves the step with its event. When it is the last step to complete, the same write completes the run (with
     * {@code run_completed} after {@code step_completed}): one journal write fewer per run, and as durable.
     */
    private Uni<StepRecord> journalStep(LiveRun live, StepRecord record) {
        return live.apply(r -> {
            Run stepped = r.withStep(record);
            return stepped.status() == RunStatus.RUNNING && stepped.executionLog().stream().allMatch(StepRecord::isDone)
                    ? stepped.completed(stepped.executionLog().get(stepped.executionLog().size() - 1).output(),
                    clock.instant())
                    : stepped;
        }, next -> next.status() == RunStatus.COMPLETED
                ? List.of(events.step(next, record), events.ended(next))
                : List.of(events.step(next, record)))
                .replaceWith(record);
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

    private String describe(Throwable failure, PlanStep step, Duration allowed) {
        if (failure instanceof TimeoutException) {
            return "timed out after " + allowed.toMillis() + " ms";
        }
        if (failure instanceof AgentException) {
            return failure.getMessage();
        }
        LOG.errorf(failure, "tool %s failed unexpectedly in step %d", step.toolName(), step.stepNumber());
        return "the tool failed unexpectedly (" + failure.getClass().getSimpleName() + ")";
    }

    private Uni<Run> cancel(LiveRun live, RunScope scope) {
        // Its last step may have completed it before the request was seen: then it stays completed. That step's
        // write may still be on its way: once it is saved, the answer (and the store) say the same. However it
        // ends, the request is forgotten then (see RunEndHook).
        live.markCancelling();
        return live.written().flatMap(ok -> live.current().status() == RunStatus.COMPLETED
                ? proceed(live, scope)
                : finish(live, r -> r.cancelled("cancelled by request", clock.instant()), scope));
    }

    /**
     * Ends the run, unless it has already ended: of all the parties that may end a run, exactly one does. A run taken
     * over from an executor that stopped may hold steps that executor had started: its events say which, and they
     * end interrupted rather than skipped.
     */
    private Uni<Run> finish(LiveRun live, java.util.function.UnaryOperator<Run> end, RunScope scope) {
        boolean mayHaveStepsUnderWay = live.resumed() && live.current().executionLog().stream()
                .anyMatch(step -> step.status() == StepStatus.PENDING);
        Uni<java.util.function.UnaryOperator<Run>> ending = !mayHaveStepsUnderWay ? Uni.createFrom().item(end)
                : events.stepsUnderWay(live.current().runId()).map(underWay -> run -> end.apply(underWay.apply(run)));
        return ending.flatMap(change -> live.apply(change, next -> List.of(events.ended(next)))).flatMap(ended -> {
            if (live.endedElsewhere()) {
                return stopped(live, scope);
            }
            return ends.ended(scope, ended, live.cancelling());
        });
    }

    /** The run ended elsewhere while this executor worked on it: stop, and answer the run as it was ended. */
    private Uni<Run> stopped(LiveRun live, RunScope scope) {
        return ends.endedElsewhere(scope, store.find(live.current().runId()).map(found -> found.orElse(live.current())),
                live.cancelling());
    }
}
