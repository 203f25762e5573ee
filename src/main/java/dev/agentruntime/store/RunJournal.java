package dev.agentruntime.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
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
     * Saves the run with its event, unless the stored run has already ended: then nothing is written and the answer
     * is false, so a late write never brings an ended run back, and of several writes that end a run one wins.
     */
    default Uni<Boolean> record(Run run, EventType eventType, JsonNode eventData) {
        return record(run, List.of(new JournalEvent(eventType, eventData)));
    }

    /** Like the above with any number of events, appended in order (a run's last step, then its end). */
    Uni<Boolean> record(Run run, List<JournalEvent> events);

    /**
     * Like {@link #record}, but only if the stored run still has status {@code expected}; false otherwise.
     * {@code eventType} may be null to save without an event.
     */
    default Uni<Boolean> transition(RunStatus expected, Run next, EventType eventType, JsonNode eventData) {
        return transition(expected, next, eventType == null ? List.of() : List.of(new JournalEvent(eventType,
                eventData)));
    }

    /** Like the above with any number of events, appended in order (an approval's decision, then the run's end). */
    Uni<Boolean> transition(RunStatus expected, Run next, List<JournalEvent> events);
}
