package dev.agentruntime.tools;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Which run and step a tool call belongs to: the key that makes a side effect happen once per step. */
public record ToolContext(UUID runId, int stepNumber) {

    /** The same id for every attempt of this step, so a retried write lands on the same record. */
    public String stableId() {
        return UUID.nameUUIDFromBytes((runId + "/" + stepNumber).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
