package dev.agentruntime.run;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.agentruntime.run.EventType.APPROVAL_GRANTED;
import static dev.agentruntime.run.EventType.APPROVAL_REJECTED;
import static dev.agentruntime.run.EventType.APPROVAL_REQUESTED;
import static dev.agentruntime.run.EventType.RUN_CANCELLED;
import static dev.agentruntime.run.EventType.RUN_COMPLETED;
import static dev.agentruntime.run.EventType.RUN_FAILED;
import static dev.agentruntime.run.EventType.RUN_REJECTED;
import static dev.agentruntime.run.EventType.RUN_STARTED;
import static dev.agentruntime.run.EventType.STEP_COMPLETED;
import static dev.agentruntime.run.EventType.STEP_FAILED;
import static dev.agentruntime.run.EventType.STEP_INTERRUPTED;
import static dev.agentruntime.run.EventType.STEP_STARTED;
import static dev.agentruntime.run.RunStatus.AWAITING_APPROVAL;
import static dev.agentruntime.run.RunStatus.CANCELLED;
import static dev.agentruntime.run.RunStatus.COMPLETED;
import static dev.agentruntime.run.RunStatus.FAILED;
import static dev.agentruntime.run.RunStatus.PENDING;
import static dev.agentruntime.run.RunStatus.REJECTED;
import static dev.agentruntime.run.RunStatus.RUNNING;

/**
 * The one owner of a run's life: every status change a run may make, in one table (from, trigger, to, the events its
 * write appends, how the store guards that write, whether the run is queued again). {@link Run}'s transitions, the
 * store's compare-and-set, the terminal statuses and {@code docs/run-lifecycle.md} are all derived from it.
 */
public final class RunLifecycle {

    /** The status of a run just submitted ({@link RunTrigger#SUBMIT}): it has no row, since no run precedes it. */
    public static final RunStatus SUBMITTED = PENDING;

    /** How the store decides whether a transition's write happens. */
    public enum Guard {
        /**
         * Only if the stored run still has the transition's {@code from} status: of the parties that race from one
         * status (an executor and a cancel, a decision and the expiry), exactly one wins, on any instance.
         */
        EXPECTED_STATUS,
        /**
         * Unless the stored run has ended: only a run's executor writes a running run (the queue's claim makes it
         * one), so the race left is between ends, and the first end wins. A late write never brings an ended run back.
         */
        NOT_ENDED
    }

    /**
     * One row: {@code events} are the kinds of event its write may append, in this order (a last step's
     * {@code step_completed}, then {@code run_completed}); {@code requeue}: the same write queues the run again.
     */
    public record Transition(RunStatus from, RunTrigger trigger, RunStatus to, List<EventType> events, Guard guard,
                             boolean requeue) {
        public Transition {
            events = List.copyOf(events);
        }

        /**
         * Refuses a write that is not this row's: a run in another status, or an event the row does not append.
         * Cheap (a few comparisons): every journal write is checked.
         */
        public void check(Run next, List<EventType> appended) {
            if (next.status() != to) {
                throw new IllegalArgumentException(this + " ends " + to.wireName() + ", not "
                        + next.status().wireName());
            }
            for (EventType type : appended) {
                if (!events.contains(type)) {
                    throw new IllegalArgumentException(this + " appends no " + type.wireName());
                }
            }
        }

        @Override
        public String toString() {
            return from.wireName() + " --" + trigger.wireName() + "--> " + to.wireName();
        }
    }

    private static final List<Transition> TABLE = List.of(
            // A write that starts a run, or records a step, may also say that the next steps start (ADR 0034): one
            // write (one fsync at appendfsync always) fewer per step of a sequential plan. The start may be written
            // by the run's submission itself, when the submitting instance takes that very run (ADR 0035).
            row(PENDING, RunTrigger.START, RUNNING, Guard.EXPECTED_STATUS, false, RUN_STARTED, STEP_STARTED),
            row(PENDING, RunTrigger.CANCEL, CANCELLED, Guard.EXPECTED_STATUS, false, RUN_CANCELLED),
            row(PENDING, RunTrigger.ABANDON, FAILED, Guard.NOT_ENDED, false, RUN_FAILED),
            row(RUNNING, RunTrigger.RESUME, RUNNING, Guard.EXPECTED_STATUS, false),
            row(RUNNING, RunTrigger.RECORD_STEP, RUNNING, Guard.NOT_ENDED, false, STEP_COMPLETED, STEP_FAILED,
                    STEP_INTERRUPTED, STEP_STARTED),
            row(RUNNING, RunTrigger.PAUSE_FOR_APPROVAL, AWAITING_APPROVAL, Guard.NOT_ENDED, false, APPROVAL_REQUESTED),
            // A run's last write may carry the start and record of the quick steps before it (ADR 0037).
            row(RUNNING, RunTrigger.COMPLETE, COMPLETED, Guard.NOT_ENDED, false, STEP_COMPLETED, STEP_STARTED,
                    RUN_COMPLETED),
            row(RUNNING, RunTrigger.FAIL, FAILED, Guard.NOT_ENDED, false, RUN_FAILED),
            row(RUNNING, RunTrigger.ABANDON, FAILED, Guard.NOT_ENDED, false, RUN_FAILED),
            row(RUNNING, RunTrigger.CANCEL, CANCELLED, Guard.NOT_ENDED, false, RUN_CANCELLED),
            row(AWAITING_APPROVAL, RunTrigger.APPROVE, RUNNING, Guard.EXPECTED_STATUS, true, APPROVAL_GRANTED),
            row(AWAITING_APPROVAL, RunTrigger.REJECT, REJECTED, Guard.EXPECTED_STATUS, false, APPROVAL_REJECTED,
                    RUN_REJECTED),
            row(AWAITING_APPROVAL, RunTrigger.EXPIRE, REJECTED, Guard.EXPECTED_STATUS, false, APPROVAL_REJECTED,
                    RUN_REJECTED),
            row(AWAITING_APPROVAL, RunTrigger.CANCEL, CANCELLED, Guard.EXPECTED_STATUS, false, RUN_CANCELLED));

    /** The statuses no row leaves. */
    private static final Set<RunStatus> TERMINAL = terminalOf(TABLE);
    private static final String TERMINAL_WIRE_NAMES = TERMINAL.stream().map(RunStatus::wireName)
            .collect(Collectors.joining(" "));

    private RunLifecycle() {
    }

    /** Every row, in the table's order. */
    public static List<Transition> table() {
        return TABLE;
    }

    /** The row for {@code trigger} in {@code from}; empty when a run in {@code from} cannot take it. */
    public static Optional<Transition> find(RunStatus from, RunTrigger trigger) {
        for (Transition transition : TABLE) {
            if (transition.from == from && transition.trigger == trigger) {
                return Optional.of(transition);
            }
        }
        return Optional.empty();
    }

    /** The row for {@code trigger} in {@code from}; a run in {@code from} that cannot take it is a bug here. */
    public static Transition require(RunStatus from, RunTrigger trigger) {
        return find(from, trigger).orElseThrow(() -> new IllegalStateException("a run that is " + from.wireName()
                + " cannot " + trigger.wireName()));
    }

    /**
     * The row a write from {@code from} to {@code to} with {@code appended} events is, for a writer that knows the
     * change rather than its trigger (the executor's {@code LiveRun}). Rows that share from, to and events (fail and
     * abandon) share their guard too (RunLifecycleTest pins that), so the first match decides the write.
     */
    public static Transition matching(RunStatus from, RunStatus to, List<EventType> appended) {
        for (Transition transition : TABLE) {
            if (transition.from == from && transition.to == to && transition.events.containsAll(appended)
                    && (transition.events.isEmpty() == appended.isEmpty())) {
                return transition;
            }
        }
        throw new IllegalStateException("no transition of a run's life goes from " + from.wireName() + " to "
                + to.wireName() + " with " + appended);
    }

    public static boolean isTerminal(RunStatus status) {
        return TERMINAL.contains(status);
    }

    /** The terminal statuses' wire names, space-separated: what the Redis scripts compare a stored run with. */
    public static String terminalWireNames() {
        return TERMINAL_WIRE_NAMES;
    }

    /** The table as a Mermaid state diagram: {@code docs/run-lifecycle.md} holds it (RunLifecycleDocTest). */
    public static String mermaid() {
        StringBuilder out = new StringBuilder("stateDiagram-v2\n");
        out.append("    [*] --> ").append(SUBMITTED.wireName()).append(" : ").append(RunTrigger.SUBMIT.wireName())
                .append('\n');
        for (Transition transition : TABLE) {
            out.append("    ").append(transition.from.wireName()).append(" --> ").append(transition.to.wireName())
                    .append(" : ").append(transition.trigger.wireName());
            if (!transition.events.isEmpty()) {
                out.append(" / ").append(transition.events.stream().map(EventType::wireName)
                        .collect(Collectors.joining(", ")));
            }
            if (transition.requeue) {
                out.append(" + queued");
            }
            out.append('\n');
        }
        for (RunStatus status : TERMINAL) {
            out.append("    ").append(status.wireName()).append(" --> [*]\n");
        }
        return out.toString();
    }

    /** The table as a Markdown table, beside the diagram. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder("| from | trigger | to | events | the store writes it | queued |\n")
                .append("|---|---|---|---|---|---|\n");
        for (Transition transition : TABLE) {
            out.append("| ").append(transition.from.wireName()).append(" | ").append(transition.trigger.wireName())
                    .append(" | ").append(transition.to.wireName()).append(" | ")
                    .append(transition.events.isEmpty() ? "–" : transition.events.stream().map(EventType::wireName)
                            .collect(Collectors.joining(", ")))
                    .append(" | ").append(transition.guard == Guard.EXPECTED_STATUS
                            ? "if still " + transition.from.wireName() : "unless ended")
                    .append(" | ").append(transition.requeue ? "yes" : "–").append(" |\n");
        }
        return out.toString();
    }

    private static Transition row(RunStatus from, RunTrigger trigger, RunStatus to, Guard guard, boolean requeue,
                                  EventType... events) {
        return new Transition(from, trigger, to, List.of(events), guard, requeue);
    }

    private static Set<RunStatus> terminalOf(List<Transition> table) {
        Set<RunStatus> terminal = EnumSet.allOf(RunStatus.class);
        table.forEach(transition -> terminal.remove(transition.from));
        return terminal;
    }
}
