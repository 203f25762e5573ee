package dev.agentruntime.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import io.smallrye.mutiny.Uni;

/**
 * Saves a run together with the event that says what changed, in one atomic step: a client that saw
 * {@code step_completed} can rely on the step being saved, and an executor that resumes the run after a crash
 * finds every step whose completion was announced and runs none of them again.
 */
public interface RunJournal {

    Uni<Void> record(Run run, EventType eventType, JsonNode eventData);

    /**
     * Like {@link #record}, but only if the stored run still has status {@code expected}; false otherwise.
     * {@code eventType} may be null to save without an event.
     */
    Uni<Boolean> transition(RunStatus expected, Run next, EventType eventType, JsonNode eventData);
}
