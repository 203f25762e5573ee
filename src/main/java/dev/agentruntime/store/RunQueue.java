package dev.agentruntime.store;

import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunLifecycle;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.RunTrigger;
import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs waiting to execute. {@link #submit} stores a new run and queues it in one step, so a run is never stored
 * without being queued. {@link #start} makes this instance an executor: it takes runs (at most
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
         * Goes on with a run its submission started ({@link Submission#start}): the START write is done, and
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

    /**
     * A new run to submit, and what differs between submissions: where it was admitted, and {@code start}, the start
     * its executor would write (null: none). The start is asked for only when it may be used: where the store can
     * (one fsync fewer per run at Redis {@code appendfsync always}, ADR 0035) and this instance takes the run's entry
     * at once (it executes runs, has room for the tenant, and no older entry waits unread), the run is stored
     * started, with its start's events, and handed to {@link Consumer#proceed}; otherwise it is stored pending and
     * its executor starts it.
     */
    record Submission(Run run, Admission admission, Supplier<? extends Start> start) {

        public Submission {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(admission, "admission");
        }

        /** The run, every bound checked, stored pending. */
        public static Submission of(Run run) {
            return new Submission(run, Admission.AT_SUBMISSION, null);
        }

        /** This submission for a run {@link RunQueue#admit} admitted before it was planned. */
        public Submission admitted() {
            return new Submission(run, Admission.BEFORE_PLANNING, start);
        }

        /** This submission, started in the same write where it can be ({@code start}). */
        public Submission startingWith(Supplier<? extends Start> start) {
            return new Submission(run, admission, start);
        }
    }

    /** Where a submitted run was admitted, so which of the bounds its submission checks. */
    enum Admission {
        /** The submission decides every bound: the store's memory (Redis), the queue, the tenant's unfinished runs. */
        AT_SUBMISSION,
        /**
         * {@link RunQueue#admit} admitted the run before it was planned: the store's memory is not asked again (the
         * headroom is there for the runs admitted while they plan; a reading that turned in between must not refuse a
         * run whose model call was already paid). The hard bounds, queue and tenant, are checked again.
         */
        BEFORE_PLANNING
    }

    /**
     * Stores the run and queues it, in one step (see {@link Submission}).
     *
     * @throws dev.agentruntime.run.CapacityExceededException (as a failure) when the queue is full
     * @throws dev.agentruntime.run.RateLimitedException (as a failure) when the tenant is at its unfinished runs
     */
    Uni<Void> submit(Submission submission);

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
