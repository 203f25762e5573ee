package dev.agentruntime.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.Approval;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.StepRecord;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/**
 * The JSON payload of each kind of run event, in one place: the full form every client sees (SSE, MCP progress),
 * and the compact form a store may keep instead, which leaves out what the reader already knows (the run id, which
 * the key names) and every null field. {@link #expand} turns the compact form back into exactly the full one.
 */
public final class EventPayloads {

    private final ObjectMapper mapper;
    private final Map<EventType, ObjectNode> templates;
    private final ObjectNode approvalTemplate;

    public EventPayloads(ObjectMapper mapper) {
        this.mapper = mapper;
        this.templates = templates();
        this.approvalTemplate = mapper.valueToTree(new Approval(0, null, null, null, null, null, null, null, null,
                null));
    }

    public ObjectNode started(Run run) {
        return started(run.runId(), run.status().wireName(), run.plan().steps().size());
    }

    ObjectNode started(UUID runId, String status, int steps) {
        return base(runId, status).put("steps", steps);
    }

    public ObjectNode step(Run run, StepRecord step) {
        return step(run.runId(), step);
    }

    /** A request for approval, or its decision: the run, its status and the approval as the run holds it. */
    public ObjectNode approval(Run run) {
        return approval(run.runId(), run.status().wireName(), run.approval());
    }

    ObjectNode approval(UUID runId, String status, Approval approval) {
        ObjectNode data = base(runId, status);
        data.set("approval", mapper.valueToTree(approval));
        return data;
    }

    public ObjectNode retrying(Run run, int stepNumber, int attempt) {
        return base(run.runId(), run.status().wireName()).put("step_number", stepNumber).put("attempt", attempt);
    }

    public ObjectNode ended(Run run) {
        ObjectNode data = base(run.runId(), run.status().wireName());
        data.set("result", run.result());
        data.put("error", run.error());
        data.put("completed_at", String.valueOf(run.completedAt()));
        return data;
    }

    /** The stored form of a full payload: no run id, no null field (also none inside a step or an approval). */
    public ObjectNode compact(JsonNode full) {
        ObjectNode compact = full.deepCopy();
        compact.remove("run_id");
        dropNulls(compact);
        if (compact.get("approval") instanceof ObjectNode approval) {
            dropNulls(approval);
        }
        return compact;
    }

    /**
     * The full payload of a stored one, compact or not: each field the full form of its type has, in its place,
     * null where the stored one left it out; fields the type does not know are kept.
     */
    public ObjectNode expand(UUID runId, EventType type, JsonNode stored) {
        ObjectNode full = merge(templates.get(type), stored);
        full.put("run_id", runId.toString());
        if (full.get("approval") instanceof ObjectNode approval) {
            full.set("approval", merge(approvalTemplate, approval));
        }
        return full;
    }

    private static ObjectNode merge(ObjectNode template, JsonNode stored) {
        ObjectNode full = template.deepCopy();
        // An existing key keeps its place when set again: the full form's field order is the template's.
        stored.fields().forEachRemaining(field -> full.set(field.getKey(), field.getValue()));
        return full;
    }

    /** Every field of each type's full form, null, in the order the builders above write them. */
    private Map<EventType, ObjectNode> templates() {
        UUID none = new UUID(0, 0);
        ObjectNode step = step(none, new StepRecord(0, null, null, null, false, null, null, 0, null, null, null));
        ObjectNode approval = base(none, null).putNull("approval");
        ObjectNode started = base(none, null).putNull("steps");
        ObjectNode retrying = base(none, null).putNull("step_number").putNull("attempt");
        ObjectNode ended = base(none, null).putNull("result").putNull("error").putNull("completed_at");
        Map<EventType, ObjectNode> byType = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            byType.put(type, switch (type) {
                case STEP_STARTED, STEP_COMPLETED, STEP_FAILED, STEP_INTERRUPTED -> step;
                case APPROVAL_REQUESTED, APPROVAL_GRANTED, APPROVAL_REJECTED -> approval;
                case RUN_STARTED -> started;
                case STEP_RETRYING -> retrying;
                case RUN_COMPLETED, RUN_FAILED, RUN_CANCELLED, RUN_REJECTED -> ended;
            });
        }
        return byType;
    }

    ObjectNode step(UUID runId, StepRecord step) {
        ObjectNode data = mapper.valueToTree(step);
        data.put("run_id", runId.toString());
        return data;
    }

    private ObjectNode base(UUID runId, String status) {
        return mapper.createObjectNode().put("run_id", runId.toString()).put("status", status);
    }

    /** Removes the null fields of {@code node} (not of the values inside it): what a compact form leaves out. */
    public static void dropNulls(ObjectNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            if (fields.next().getValue().isNull()) {
                fields.remove();
            }
        }
    }
}
