package dev.agentruntime.store;

import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunLifecycle;
import dev.agentruntime.run.RunStatus;
import io.smallrye.mutiny.Uni;

import java.util.List;

/**
 * Saves a run together with the event that says what changed, in one atomic step: a client that saw
 * {@code step_completed} can rely on the step being saved, and an executor that resumes the run after a crash
 * finds every step whose completion was announced and runs none of them again.
 */
public interface RunJournal {

    /**
     * Saves the run with its events, appended in order (a run's last step, then its end), unless the stored run has
     * already ended: then nothing is written and the answer is false, so a late write never brings an ended run
     * back, and of several writes that end a run one wins.
     */
    Uni<Boolean> record(Run run, List<JournalEvent> events);

    /**
     * Like {@link #record}, but only if the stored run still has status {@code expected}; false otherwise. No events
     * saves the run alone.
     */
    Uni<Boolean> transition(RunStatus expected, Run next, List<JournalEvent> events);

    /**
     * Writes one row of {@link RunLifecycle}'s table: the row's guard decides the write ({@link #transition} from
     * its {@code from} status, or {@link #record}); false when the store refused it. A row that queues the run again
     * is {@link RunQueue#resume}'s.
     */
    default Uni<Boolean> apply(RunLifecycle.Transition transition, Run next, List<JournalEvent> events) {
        if (transition.requeue()) {
            throw new IllegalArgumentException(transition + " queues the run again: RunQueue.resume writes it");
        }
        transition.check(next, events.stream().map(JournalEvent::type).toList());
        return transition.guard() == RunLifecycle.Guard.EXPECTED_STATUS
                ? transition(transition.from(), next, events) : record(next, events);
    }
}
