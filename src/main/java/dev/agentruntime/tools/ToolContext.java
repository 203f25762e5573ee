package dev.agentruntime.tools;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Which run, step and tenant a tool call belongs to: the tenant scopes the tool's data, and run and step key a
 * side effect so it happens once per step.
 */
public record ToolContext(UUID runId, int stepNumber, String tenant) {

    /** The same id for every attempt of this step, so a retried write lands on the same record. */
    public String stableId() {
        return UUID.nameUUIDFromBytes((runId + "/" + stepNumber).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
