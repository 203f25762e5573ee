package dev.agentruntime.tools;

import io.opentelemetry.context.Context;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Which run, step and tenant a tool call belongs to: the tenant scopes the tool's data, and run and step key a
 * side effect so it happens once per step. {@code trace} holds the step's span, the parent of a tool's own spans.
 */
public record ToolContext(UUID runId, int stepNumber, String tenant, Context trace) {

    public ToolContext(UUID runId, int stepNumber, String tenant) {
        this(runId, stepNumber, tenant, Context.root());
    }

    /** The same id for every attempt of this step, so a retried write lands on the same record. */
    public String stableId() {
        return UUID.nameUUIDFromBytes((runId + "/" + stepNumber).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
