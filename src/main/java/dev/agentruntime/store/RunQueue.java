package dev.agentruntime.store;

import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunLifecycle;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.RunTrigger;
import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs waiting to execute. {@link #submit} stores a new pending run and queues it in one step, so a run is never
 * stored without being queued. {@link #start} makes this instance an executor: it takes runs (at most
 * {@code maxConcurrent} at once) and hands them to the consumer; with Redis, runs held by a dead instance are
 * claimed after an idle time.
 */
public interface RunQueue {

    /** What executes the runs the queue hands out. */
    interface Consumer {
        /**
         * Executes (or resumes) the run; the queue forgets it when the Uni ends. {@code submitted} is the run as this
         * instance submitted it, when it did (so it need not be read back), else null; it may be out of date (a
         * client cancelled it since): the executor's compare-and-set start decides.
         */
        Uni<Void> process(UUID runId, Run submitted);

        /**
         * Goes on with a run its submission started ({@link #submit(Run, Supplier)}): the START write is done, and
         * must not be written again. By default the run is read back and resumed, as if its executor had died.
         */
        default Uni<Void> proceed(Start start) {
            return process(start.started().runId(), null);
        }

        /** The run was handed out {@code deliveries} times without finishing: its executors keep dying. */
        Uni<Void> abandon(UUID runId, int deliveries);
    }

    /**
     * A run's start, made by its executor before the run is submitted (ADR 0035): the run as {@link RunLifecycle}'s
     * START row leaves it and the events that write appends ({@code run_started}, the first wave's
     * {@code step_started}). The executor's own type implements it, so that it gets back what it prepared.
     */
    interface Start {
        Run started();

        List<JournalEvent> events();

        /** Refuses a start that is not START's row for {@code pending}. */
        default void check(Run pending) {
            if (!started().runId().equals(pending.runId())) {
                throw new IllegalArgumentException("the start of " + started().runId() + " is not "
                        + pending.runId() + "'s");
            }
            RunLifecycle.require(pending.status(), RunTrigger.START)
                    .check(started(), events().stream().map(JournalEvent::type).toList());
        }
    }

    /** @throws dev.agentruntime.run.CapacityExceededException (as a failure) when the queue is full */
    Uni<Void> submit(Run run);

    /**
     * {@link #submit}, and where the store can, with the run's start in the same write (one fsync fewer per run at
     * Redis {@code appendfsync always}): when this instance takes the run's entry at once (it executes runs, has room
     * for the tenant, and no older entry waits unread), the run is stored started, with its start's events, and
     * handed to {@link Consumer#proceed}; otherwise it is stored pending as by {@link #submit}. {@code start} is asked
     * only when it may be used. By default the run is submitted pending: its executor starts it.
     */
    default Uni<Void> submit(Run run, Supplier<? extends Start> start) {
        return submit(run);
    }

    /** {@link #submit(Run, Supplier)} for a run {@link #admit} admitted (see {@link #submitAdmitted(Run)}). */
    default Uni<Void> submitAdmitted(Run run, Supplier<? extends Start> start) {
        return submitAdmitted(run);
    }

    /**
     * {@link #submit} for a fork ({@code fork.forkedFrom()} names its source): in the same step, its first
     * {@code events} (run_forked, the reused steps' step_completed) are appended and it joins its source's forks,
     * so there is never half a fork (ADR 0033). Refused like any submission.
     */
    Uni<Void> submitFork(Run fork, List<JournalEvent> events);

    /**
     * The id of a new fork of {@code source}: any new id, except where the store needs the fork's keys beside its
     * source's (on Redis, in its partition: one script writes both).
     */
    default UUID forkId(UUID source) {
        return UUID.randomUUID();
    }

    /**
     * Whether a run of {@code tenant} submitted now would be accepted, writing nothing: fails as {@link #submit}
     * would (the store nearly full, the queue full, the tenant at its unfinished runs). Decided before work a refused
     * request must not do (a model call, a plan cached); {@link #submit} still decides atomically.
     */
    Uni<Void> admit(String tenant);

    /**
     * {@link #submit} for a run that {@link #admit} admitted before it was planned: the store's memory is not asked
     * again (the headroom is there for the runs admitted while they plan; a reading that turned in between must
     * not refuse a run whose model call was already paid). The hard bounds, queue and tenant, are checked again.
     */
    default Uni<Void> submitAdmitted(Run run) {
        return submit(run);
    }

    /**
     * Moves a paused run from {@code expected} to {@code next} with its events and queues it again, in one step (a
     * run is never left "running" without being queued); false, and nothing written, when the stored run is no
     * longer {@code expected}. A resumed run was admitted before: the queue bound does not refuse it.
     */
    Uni<Boolean> resume(RunStatus expected, Run next, List<JournalEvent> events);

    /** {@link #resume} for a row of {@link RunLifecycle}'s table that queues the run again (approved, say). */
    default Uni<Boolean> resume(RunLifecycle.Transition transition, Run next, List<JournalEvent> events) {
        if (!transition.requeue() || transition.guard() != RunLifecycle.Guard.EXPECTED_STATUS) {
            throw new IllegalArgumentException(transition + " does not queue the run again");
        }
        transition.check(next, events.stream().map(JournalEvent::type).toList());
        return resume(transition.from(), next, events);
    }

    void start(Consumer consumer);

    void stop();

    /** Runs queued and not yet finished, for metrics. */
    Uni<Long> depth();
}
