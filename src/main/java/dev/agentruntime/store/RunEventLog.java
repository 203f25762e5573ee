package dev.agentruntime.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.util.UUID;

/**
 * A run's progress events, kept as long as the run runs and, once it has ended, for the events' retention
 * ({@code agent.store.events-retention}); after that an ended run's events are its {@link CompactHistory}. Any
 * instance can stream them, whichever executes the run: a Redis stream per run, or an in-process log with the
 * memory store.
 */
public interface RunEventLog {

    /** Appends an event and returns its id. */
    Uni<String> append(UUID runId, EventType type, JsonNode data);

    /**
     * Every event after {@code afterId} ({@code null}: from the start), then new ones as they come, completing
     * after the terminal event. Ids are opaque strings that only this log compares.
     */
    Multi<RunEvent> stream(UUID runId, String afterId);

    /** The events stored now after {@code afterId} ({@code null}: all), then completes. */
    Multi<RunEvent> replay(UUID runId, String afterId);

    /**
     * Every event of {@code run}, which has ended, after {@code afterId} ({@code null}: all), then completes: the
     * stored ones while they are kept, else the compact history rebuilt from the run.
     */
    Multi<RunEvent> history(Run run, String afterId);

    /** Whether {@code id} has the form of this log's event ids, so a malformed Last-Event-ID can be refused. */
    boolean isValidId(String id);

    /**
     * Whether {@code id} (a valid one) lies after the last event the run's log holds now: no reader of this log was
     * ever given it, and a stream resumed after it would skip events it never sent.
     */
    Uni<Boolean> isPastEnd(UUID runId, String id);
}
