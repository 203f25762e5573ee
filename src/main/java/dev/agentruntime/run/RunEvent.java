package dev.agentruntime.run;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of a run's progress: {@code id} orders the events of a run and resumes a stream ({@code Last-Event-ID});
 * {@code type} names the SSE event; {@code data} is its JSON payload, as clients get it: read it as its record
 * ({@link RunEventBody}) rather than by field name.
 */
public record RunEvent(String id, EventType type, JsonNode data) {

    public boolean isTerminal() {
        return type.terminal();
    }
}
