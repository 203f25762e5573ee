package dev.agentruntime.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.Approval;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.run.RunEventBody;
import dev.agentruntime.run.StepRecord;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/**
 * The JSON of each kind of run event ({@link RunEventBody}, one record per type), in one place: the full form every
 * client sees (SSE, MCP progress), and the compact form a store may keep instead, which leaves out what the reader
 * already knows (the run id, which the key names) and every null field. {@link #expand} turns the compact form back
 * into exactly the full one, and {@link #read} a full one into its record.
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

    /** The event's full JSON: what clients read. */
    public ObjectNode json(RunEventBody body) {
        return mapper.valueToTree(body);
    }

    /** The event as a journal write appends it: its type, and its full JSON. */
    public JournalEvent journal(RunEventBody body) {
        return new JournalEvent(body.type(), json(body));
    }

    /**
     * The record of an event read from a log (its full form). A field the record does not know is left out; one it
     * knows but the payload lacks is null (0 for a step's numbers).
     */
    public RunEventBody read(RunEvent event) {
        return read(event.type(), event.data());
    }

    public RunEventBody read(EventType type, JsonNode data) {
        try {
            return mapper.treeToValue(data, RunEventBody.classOf(type));
        } catch (JsonProcessingException | IllegalArgumentException unreadable) {
            throw new IllegalStateException("a " + type.wireName() + " event cannot be read: "
                    + unreadable.getMessage(), unreadable);
        }
    }

    /**
     * The stored form of a full payload: no run id, no null field (also none inside a step or an approval), no
     * {@code reused} that is false.
     */
    public ObjectNode compact(JsonNode full) {
        ObjectNode compact = full.deepCopy();
        compact.remove("run_id");
        dropNulls(compact);
        // A step's event: reused is only ever true on a fork's step, and the template gives it back as false.
        if (compact.get("reused") instanceof com.fasterxml.jackson.databind.node.BooleanNode reused
                && !reused.booleanValue()) {
            compact.remove("reused");
        }
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

    /** Every field of each type's full form, null (0 or false for a step's and an approval's), in its order. */
    private Map<EventType, ObjectNode> templates() {
        StepRecord step = new StepRecord(0, null, null, null, false, null, null, 0, null, null, null, false);
        Map<EventType, ObjectNode> byType = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            byType.put(type, json(switch (type) {
                case STEP_STARTED, STEP_COMPLETED, STEP_FAILED, STEP_INTERRUPTED -> RunEventBody.step(type, null, step);
                case APPROVAL_REQUESTED, APPROVAL_GRANTED, APPROVAL_REJECTED ->
                        RunEventBody.approval(type, null, null, null);
                case RUN_FORKED -> new RunEventBody.RunForked(null, null, null, null, null);
                case RUN_STARTED -> new RunEventBody.RunStarted(null, null, null);
                case STEP_RETRYING -> new RunEventBody.StepRetrying(null, null, null, null);
                case RUN_COMPLETED, RUN_FAILED, RUN_CANCELLED, RUN_REJECTED ->
                        RunEventBody.ended(type, null, null, null, null, null);
            }));
        }
        return byType;
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
