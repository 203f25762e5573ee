package dev.agentruntime.execution;

import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunLifecycle;
import dev.agentruntime.store.JournalEvent;
import dev.agentruntime.store.RunJournal;
import io.smallrye.mutiny.Uni;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The run as one execution sees it. Steps of a wave finish concurrently; each change is applied to the latest
 * state and journaled strictly in order, so no write carries an older snapshot over a newer one.
 */
final class LiveRun {

    private final RunJournal journal;
    private final boolean resumed;
    private final boolean registeredAfterStart;
    /** The store refused a write because the run had already ended: someone else ended it (a cancel, say). */
    private volatile boolean endedElsewhere;
    /** This execution is ending the run because it was asked to stop. */
    private volatile boolean cancelling;
    private Run current;
    /** Events of changes held back (ADR 0037): the next write carries them first. */
    private final List<JournalEvent> held = new ArrayList<>();
    private boolean waveStarted;
    private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);

    LiveRun(RunJournal journal, Run start, boolean resumed) {
        this(journal, start, resumed, false);
    }

    /** {@code registeredAfterStart}: its submission started the run before this instance listened for notices. */
    LiveRun(RunJournal journal, Run start, boolean resumed, boolean registeredAfterStart) {
        this.journal = journal;
        this.current = start;
        this.resumed = resumed;
        this.registeredAfterStart = registeredAfterStart;
    }

    /**
     * True once, for the first wave of a run this execution started fresh: it was registered for cancellation
     * notices before it started, and a run still pending is cancelled by the store's compare-and-set, so the
     * notice serves and the durable flag need not be read. A resumed run, a run its submission started (ADR 0035:
     * a notice may have come between that write and this instance's registration), and later waves read it.
     */
    synchronized boolean firstWaveOfFreshRun() {
        boolean first = !resumed && !registeredAfterStart && !waveStarted;
        waveStarted = true;
        return first;
    }

    /** This execution took over a run another executor had started (and stopped without ending). */
    boolean resumed() {
        return resumed;
    }

    synchronized Run current() {
        return current;
    }

    boolean endedElsewhere() {
        return endedElsewhere;
    }

    /** From now on this execution ends the run because a request to stop it was seen. */
    void markCancelling() {
        cancelling = true;
    }

    boolean cancelling() {
        return cancelling;
    }

    /**
     * Applies {@code change} without writing it: its {@code events} (computed from the changed run) ride the next
     * write, ahead of that write's own (ADR 0037: a quick step's start, the record of an idempotent step before it).
     * Only a change that keeps the run's status may wait, so the next write's row of {@link RunLifecycle} is the
     * same with them as without.
     */
    synchronized void hold(UnaryOperator<Run> change, Function<Run, List<JournalEvent>> events) {
        Run next = change.apply(current);
        if (next.status() != current.status()) {
            throw new IllegalStateException("a change of status is written at once, not held: "
                    + current.status().wireName() + " to " + next.status().wireName());
        }
        current = next;
        held.addAll(events.apply(next));
    }

    /** Writes what is held, if anything: before an event written apart from the run (a retry's) follows it. */
    Uni<Void> flush() {
        synchronized (this) {
            if (held.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
        }
        return apply(UnaryOperator.identity(), run -> List.of()).replaceWithVoid();
    }

    /**
     * Applies {@code change}, then saves the result with the events it brings, computed from the changed run (a last
     * step, then the end), once every earlier change is saved. The write is guarded as the change's row of
     * {@link RunLifecycle} says (every executor change: unless the run has ended); a change that is no row is refused.
     */
    Uni<Run> apply(UnaryOperator<Run> change, Function<Run, List<JournalEvent>> events) {
        Run before;
        Run next;
        List<JournalEvent> carried;
        CompletableFuture<Void> previous;
        CompletableFuture<Void> mine = new CompletableFuture<>();
        synchronized (this) {
            before = current;
            next = change.apply(current);
            current = next;
            carried = held.isEmpty() ? List.of() : List.copyOf(held);
            held.clear();
            previous = lastWrite;
            lastWrite = mine;
        }
        // Usually the previous write is done: skip the CompletionStage adapter (and its context capture) then.
        Uni<Void> afterPrevious = previous.isDone() ? Uni.createFrom().voidItem()
                : Uni.createFrom().completionStage(previous);
        Uni<Boolean> write = afterPrevious
                .flatMap(ok -> {
                    List<JournalEvent> appended = carried.isEmpty() ? events.apply(next)
                            : concat(carried, events.apply(next));
                    return journal.apply(RunLifecycle.matching(before.status(), next.status(),
                            appended.stream().map(JournalEvent::type).toList()), next, appended);
                })
                .invoke(saved -> {
                    if (!saved) {
                        endedElsewhere = true;
                    }
                })
                .onTermination().invoke(() -> mine.complete(null))
                .memoize().indefinitely();
        // Started now, not when the caller subscribes, and not stopped if the caller stops waiting: the change is
        // already the current state, so it must reach the store. A cancel that interrupted a run's last step
        // between the two once dropped the write that completed it, and the run stayed "running" for good.
        // Its outcome, a failure too, reaches the caller through the memoized Uni, if the caller still waits.
        write.subscribe().with(saved -> { }, failure -> { });
        return write.replaceWith(next);
    }

    private static List<JournalEvent> concat(List<JournalEvent> first, List<JournalEvent> then) {
        List<JournalEvent> all = new ArrayList<>(first.size() + then.size());
        all.addAll(first);
        all.addAll(then);
        return all;
    }

    /** Completes once every change applied so far has been written (or its write has failed). */
    Uni<Void> written() {
        CompletableFuture<Void> last;
        synchronized (this) {
            last = lastWrite;
        }
        return last.isDone() ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(last);
    }
}
