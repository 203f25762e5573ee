package dev.agentruntime.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.run.EventType;

/** One event a journal write appends, in order, with the run it saves. */
public record JournalEvent(EventType type, JsonNode data) {
}
