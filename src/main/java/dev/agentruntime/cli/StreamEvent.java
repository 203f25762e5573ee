package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.run.EventType;

import java.util.Arrays;
import java.util.Optional;

/**
 * One event of a run's stream, from a server's SSE or from the engine in this process: {@code type} is the wire name,
 * kept as text so that an event a newer server adds is still passed on ({@code jsonl}) rather than refused.
 */
record StreamEvent(String id, String type, JsonNode data) {

    Optional<EventType> kind() {
        return Arrays.stream(EventType.values()).filter(known -> known.wireName().equals(type)).findFirst();
    }

    boolean terminal() {
        return kind().map(EventType::terminal).orElse(false);
    }
}
