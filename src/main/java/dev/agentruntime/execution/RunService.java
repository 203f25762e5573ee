package dev.agentruntime.execution;

import dev.agentruntime.planning.PlanningService;
import dev.agentruntime.limits.LimitsConfig;
import dev.agentruntime.limits.TenantLimits;
import dev.agentruntime.run.ConflictException;
import dev.agentruntime.run.ForkRequest;
import dev.agentruntime.run.RateLimitedException;
import dev.agentruntime.run.InvalidRequestException;
import dev.agentruntime.run.Planner;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.run.RunLifecycle;
import dev.agentruntime.run.RunNotFoundException;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.RunTrigger;
import dev.agentruntime.run.Sha256;
import dev.agentruntime.run.TenantKey;
import dev.agentruntime.store.RunEventLog;
import dev.agentruntime.store.IdempotencyKeys;
import dev.agentruntime.store.RunJournal;
import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.RunStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The life of a run as the API sees it: plan, store and queue, wait, replay by idempotency key, cancel. */
@ApplicationScoped
public class RunService {

    /** A run as answered to a POST: {@code replayed} when an idempotency key returned an existing run. */
    public record Submission(Run run, boolean replayed) {
    }

    private final PlanningService planning;
    private final ForkPlan forks;
    private final RunStore store;
    private final RunJournal journal;
    private final RunQueue queue;
    private final RunExecutor executor;
    private final RunEvents events;
    private final RunWaiters waiters;
    private final RunEventLog eventLog;
    private final IdempotencyKeys idempotencyKeys;
    private final Cancellations cancellations;
    private final RunEndHook ends;
    private final TenantLimits limits;
    private final LimitsConfig limitsConfig;
    private final ExecutionConfig config;
    private final Clock clock;
    /** Reads of a run in flight for event streams, shared by the followers that arrive meanwhile. */
    private final Map<UUID, Uni<Optional<Run>>> reading = new ConcurrentHashMap<>();

    public RunService(PlanningService planning, ForkPlan forks, RunStore store, RunJournal journal, RunQueue queue,
                      RunExecutor executor, RunEvents events, RunWaiters waiters, RunEventLog eventLog,
                      IdempotencyKeys idempotencyKeys, Cancellations cancellations, RunEndHook ends, TenantLimits limits,
                      LimitsConfig limitsConfig, ExecutionConfig config, Clock clock) {
        this.planning = planning;
        this.forks = forks;
        this.store = store;
        this.journal = journal;
        this.queue = queue;
        this.executor = executor;
        this.events = events;
        this.waiters = waiters;
        this.eventLog = eventLog;
        this.idempotencyKeys = idempotencyKeys;
        this.cancellations = cancellations;
        this.ends = ends;
        this.limits = limits;
        this.limitsConfig = limitsConfig;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Plans, stores and queues a new run. With an idempotency key already used for the same prompt, returns that
     * run instead (409 while it is still being created, 422 if the key came with another prompt). With a positive
     * {@code wait}, answers once the run ends or the wait is over, with the run as stored at that moment.
     */
    public Uni<Submission> create(String tenant, String prompt, Duration wait, Optional<String> idempotencyKey) {
        return submitted(tenant, Sha256.hex(prompt), idempotencyKey, () -> createNew(tenant, prompt))
                .flatMap(submission -> awaited(submission.run(), wait)
                        .map(run -> new Submission(run, submission.replayed())));
    }

    /**
     * Forks the tenant's ended run {@code runId} as {@code request} asks (see {@link ForkPlan}) and queues the fork,
     * admitted like any run; with an idempotency key already used for the same run and request, returns that fork
     * instead, exactly as {@link #create} does. 404 for a run that is not the tenant's, 409 (with the run) for one
     * that has not ended.
     */
    public Uni<Submission> fork(String tenant, String runId, ForkRequest request, Optional<String> idempotencyKey) {
        // The body is hashed with the run it forks: one key, one fork of one run.
        String bodyHash = Sha256.hex("fork " + runId + " " + request.fromStep() + " " + request.toolInput() + " "
                + request.reason());
        return submitted(tenant, bodyHash, idempotencyKey, () -> forkNew(tenant, runId, request));
    }

    /**
     * A new run from {@code createNew}, or, with an idempotency key, the run the key already created for the same
     * body (409 while it is still being created, 422 if the key came with another body). Keys are per tenant:
     * another tenant's key is never seen, let alone replayed.
     */
    private Uni<Submission> submitted(String tenant, String bodyHash, Optional<String> idempotencyKey,
                                      java.util.function.Supplier<Uni<Run>> createNew) {
        if (idempotencyKey.isEmpty()) {
            return createNew.get().map(run -> new Submission(run, false));
        }
        String key = new TenantKey(tenant, idempotencyKey.get()).id();
        return idempotencyKeys.claim(key, bodyHash).flatMap(claim -> {
            if (claim.won()) {
                return createNew.get()
                        .call(run -> idempotencyKeys.bind(key, bodyHash, run.runId()))
                        .onFailure().call(failure -> idempotencyKeys.release(key).onFailure().recoverWithNull())
                        .map(run -> new Submission(run, false));
            }
            if (!claim.bodyHash().equals(bodyHash)) {
                return Uni.createFrom().failure(InvalidRequestException.unprocessable(
                        "Idempotency-Key '" + idempotencyKey.get() + "' was already used with a different body"));
            }
            if (claim.runId() == null) {
                return Uni.createFrom().failure(ConflictException.passing(
                        "a run with Idempotency-Key '" + idempotencyKey.get() + "' is still being created; retry shortly"));
            }
            return get(tenant, claim.runId()).map(run -> new Submission(run, true));
        });
    }

    /**
     * The run as a reader should see it: stored, with the steps that are under way shown running (see
     * {@link RunEvents#withStepsUnderWay}). Another tenant's run is not found, exactly like an unknown one.
     */
    public Uni<Run> get(String tenant, UUID runId) {
        return stored(tenant, runId).flatMap(events::withStepsUnderWay);
    }

    /** {@code runId} as the caller wrote it: anything that is not a UUID is simply not found. */
    public Uni<Run> get(String tenant, String runId) {
        return parse(runId).map(id -> get(tenant, id))
                .orElseGet(() -> Uni.createFrom().failure(new RunNotFoundException(runId)));
    }

    /** {@link #stored(String, UUID)} of {@code runId} as the caller wrote it: anything not a UUID is not found. */
    private Uni<Run> stored(String tenant, String runId) {
        return parse(runId).map(id -> stored(tenant, id))
                .orElseGet(() -> Uni.createFrom().failure(new RunNotFoundException(runId)));
    }

    /** The run as stored, for a decision about it (nothing under way is read). */
    private Uni<Run> stored(String tenant, UUID runId) {
        return store.find(runId).map(found -> found.filter(run -> run.tenant().equals(tenant))
                .orElseThrow(() -> new RunNotFoundException(runId.toString())));
    }

    public Uni<List<Run>> list(String tenant, int limit, int offset) {
        return store.list(tenant, limit, offset);
    }

    /** The forks of the tenant's run {@code runId}, newest first; another tenant's run is not found. */
    public Uni<List<Run>> forks(String tenant, String runId, int limit, int offset) {
        return stored(tenant, runId).flatMap(source -> store.forks(source, limit, offset));
    }

    /** The tenant's runs awaiting a decision, the most recent request first. */
    public Uni<List<Run>> awaitingApproval(String tenant, int limit, int offset) {
        return store.awaitingApproval(tenant, limit, offset);
    }

    /**
     * Checks a request for a run's events before the stream starts: the run must be the caller's, and
     * {@code lastEventId} (may be null) an id this event log could have issued. Concurrent readers of one run
     * share one read of it: a crowd of followers arriving together costs the store one command, not one each.
     */
    public Uni<Run> eventsOf(String tenant, String runId, String lastEventId) {
        if (lastEventId != null && !eventLog.isValidId(lastEventId)) {
            return Uni.createFrom().failure(InvalidRequestException.badRequest(
                    "Last-Event-ID: is not the id of an event of this stream; omit it to start from the beginning"));
        }
        Optional<UUID> id = parse(runId);
        if (id.isEmpty()) {
            return Uni.createFrom().failure(new RunNotFoundException(runId));
        }
        Uni<Run> run = reading.computeIfAbsent(id.get(), key -> store.findForFollower(key)
                        .onTermination().invoke(() -> reading.remove(key)).memoize().indefinitely())
                .map(found -> found.filter(stored -> stored.tenant().equals(tenant))
                        .orElseThrow(() -> new RunNotFoundException(runId)));
        if (lastEventId == null) {
            return run;
        }
        // An ended run's stream is replayed to its end whatever the id; a running one's would follow from a point
        // no event has reached yet, skipping the events up to it, and never show the end: refuse it instead.
        return run.call(found -> found.status().isTerminal() ? Uni.createFrom().voidItem()
                : eventLog.isPastEnd(found.runId(), lastEventId).invoke(past -> {
                    if (past) {
                        throw InvalidRequestException.badRequest("Last-Event-ID: is past the last event of this "
                                + "run; resume with the id of the last event received, or omit it to start from "
                                + "the beginning");
                    }
                }));
    }

    /**
     * The run's events after {@code lastEventId} (null: from its start). For a run that has not ended, new ones
     * follow live until the terminal event; for one that has, what is stored is replayed and the stream ends, even
     * when {@code lastEventId} is past its end.
     */
    public Multi<RunEvent> events(Run run, String lastEventId) {
        return run.status().isTerminal() ? eventLog.history(run, lastEventId)
                : eventLog.stream(run.runId(), lastEventId);
    }

    /**
     * A pending run is cancelled at once and never starts; a running one is asked to stop at its current step
     * and ends {@code cancelled} shortly after. A run that already ended cannot be cancelled (409).
     */
    public Uni<Run> cancel(String tenant, String runId) {
        return stored(tenant, runId).flatMap(run -> {
            if (run.status().isTerminal()) {
                return Uni.createFrom().failure(alreadyEnded(run));
            }
            if (run.status() == RunStatus.PENDING) {
                Run cancelled = run.cancelled("cancelled before it started", clock.instant());
                return journal.apply(RunLifecycle.require(run.status(), RunTrigger.CANCEL), cancelled,
                                List.of(events.ended(cancelled)))
                        .flatMap(moved -> moved ? ends.ended(null, cancelled, false)
                                : stopRunning(tenant, run.runId()));
            }
            if (run.status() == RunStatus.AWAITING_APPROVAL) {
                return cancelAwaiting(tenant, run);
            }
            return stopRunning(tenant, run.runId());
        });
    }

    /**
     * Nobody executes a run awaiting approval, so the store's compare-and-set is the cancel. Lost to a decision that
     * came first: an approved run is running again (stopped like any), a rejected one has ended (409).
     */
    private Uni<Run> cancelAwaiting(String tenant, Run run) {
        Run cancelled = run.cancelled("cancelled while awaiting approval", clock.instant());
        return journal.apply(RunLifecycle.require(run.status(), RunTrigger.CANCEL), cancelled,
                List.of(events.ended(cancelled))).flatMap(moved -> {
                    if (moved) {
                        return ends.ended(null, cancelled, true);
                    }
                    return stored(tenant, run.runId()).flatMap(current -> current.status().isTerminal()
                            ? Uni.createFrom().failure(alreadyEnded(current)) : stopRunning(tenant, run.runId()));
                });
    }

    /**
     * Only the executor writes a running run, so it is the one that ends it: ask it to stop, then wait (at most
     * {@code agent.execution.cancel-wait}) for how the run ended. A run that completed or failed before it saw the
     * request is a 409 carrying the run, so an answer of 202 always means the run ended cancelled, or is still on
     * its way to it when the wait ran out (its executor is unreachable; another instance will take it over).
     */
    private Uni<Run> stopRunning(String tenant, UUID runId) {
        return cancellations.request(runId)
                .flatMap(requested -> waiters.awaitEnd(runId, config.cancelWait()))
                .flatMap(ended -> ended != null ? Uni.createFrom().item(ended) : get(tenant, runId))
                // The executor paused the run for approval before it saw the request: cancel the paused run.
                .flatMap(run -> run.status() == RunStatus.AWAITING_APPROVAL ? cancelAwaiting(tenant, run)
                        : Uni.createFrom().item(run))
                .map(run -> {
                    if (run.status().isTerminal() && run.status() != RunStatus.CANCELLED) {
                        throw alreadyEnded(run);
                    }
                    return run;
                });
    }

    private static ConflictException alreadyEnded(Run run) {
        return new ConflictException("run " + run.runId() + " already ended as " + run.status().wireName(), run);
    }

    /**
     * Counts against the tenant's rate every run it asks to plan, but no replay: an Idempotency-Key replay starts
     * nothing. Admission is decided before any work a refused request would not need: the rate first, then, before
     * the model is asked, whether the run would be accepted (the store's memory, the queue, the tenant's unfinished
     * runs); the plan is cached only once the run is. The rules plan in this process and write nothing, so with them
     * the submission's own atomic check decides, at no round trip more (ADR 0025).
     */
    private Uni<Run> createNew(String tenant, String prompt) {
        boolean admitFirst = planning.mode() == Planner.LLM;
        return withinRate(tenant)
                .flatMap(allowed -> admitFirst ? queue.admit(tenant) : Uni.createFrom().voidItem())
                .flatMap(admitted -> planning.plan(tenant, prompt))
                .flatMap(outcome -> {
                    Run run = Run.planned(UUID.randomUUID(), tenant, prompt, outcome, clock.instant());
                    // Where this instance takes the run at once, its submission also starts it (ADR 0035).
                    RunQueue.Submission submission = RunQueue.Submission.of(run)
                            .startingWith(() -> executor.startOf(run));
                    return queue.submit(admitFirst ? submission.admitted() : submission)
                            .call(() -> planning.remember(outcome)).replaceWith(run);
                });
    }

    /**
     * The fork, admitted like any run: checked against its source first (a refused fork costs no rate), then the
     * tenant's rate, then the queue's atomic submission (its bound, the tenant's unfinished runs), which stores the
     * fork with its first events and its place in the source's forks in one step. A fork plans nothing: no model is
     * asked, so it spends no budget.
     */
    private Uni<Run> forkNew(String tenant, String runId, ForkRequest request) {
        return get(tenant, runId)
                .map(source -> {
                    if (!source.status().isTerminal()) {
                        throw new ConflictException("run " + source.runId() + " is " + source.status().wireName()
                                + ": only a run that has ended can be forked", source);
                    }
                    return forks.fork(source, request, queue.forkId(source.runId()), clock.instant());
                })
                .call(fork -> withinRate(tenant))
                .call(fork -> queue.submitFork(fork, events.forked(fork)));
    }

    /** Counts a run against the tenant's rate; refused (429) when the rate is spent. */
    private Uni<Void> withinRate(String tenant) {
        return limits.acquireRun(tenant).invoke(wait -> {
            if (!wait.isZero()) {
                throw new RateLimitedException(limitsConfig.runsPerMinute(), (wait.toMillis() + 999) / 1000);
            }
        }).replaceWithVoid();
    }

    private Uni<Run> awaited(Run run, Duration wait) {
        if (wait.isZero() || run.status().isTerminal()) {
            return Uni.createFrom().item(run);
        }
        return waiters.awaitEnd(run.runId(), wait)
                .flatMap(ended -> ended != null ? Uni.createFrom().item(ended) : get(run.tenant(), run.runId()));
    }

    private static Optional<UUID> parse(String runId) {
        try {
            return Optional.of(UUID.fromString(runId));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }
}
