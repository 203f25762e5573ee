package dev.agentruntime.store.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.run.StepStatus;
import dev.agentruntime.run.Usage;
import dev.agentruntime.store.EventPayloads;

import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A run as Redis keeps it: the JSON of the API without what can be derived again. Each step is stored once: an
 * entry of the execution log leaves out the step number and tool name its plan step holds, its input when that is
 * the plan's, {@code success} (it is "completed"), {@code reused} unless it is true (a fork's step) and its
 * duration (finished minus started); a completed run leaves out its result when it is its last step's output, an
 * approval its derived {@code pending}; no field is null or a default. Runs stored in full (before this form) read
 * the same. Scripts only read {@code status}, which stays.
 */
final class StoredRuns {

    private final ObjectMapper mapper;

    StoredRuns(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String write(Run run) {
        ObjectNode tree = mapper.valueToTree(run);
        ArrayNode plan = (ArrayNode) tree.path("plan").path("steps");
        ArrayNode log = (ArrayNode) tree.get("execution_log");
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i) instanceof ObjectNode entry && i < plan.size()) {
                compactStep(entry, plan.get(i), run.executionLog().get(i));
            }
        }
        JsonNode lastOutput = run.executionLog().isEmpty() ? null
                : run.executionLog().get(run.executionLog().size() - 1).output();
        boolean resultIsLastOutput = run.status() == RunStatus.COMPLETED && !run.executionLog().isEmpty()
                && java.util.Objects.equals(nullIfJsonNull(run.result()), nullIfJsonNull(lastOutput));
        EventPayloads.dropNulls(tree);
        if (resultIsLastOutput) {
            tree.remove("result");
        } else if (run.status() == RunStatus.COMPLETED && run.result() == null) {
            tree.putNull("result");
        }
        if (!run.planCached()) {
            tree.remove("plan_cached");
        }
        if (Usage.NONE.equals(run.usage())) {
            tree.remove("usage");
        }
        if (tree.get("approval") instanceof ObjectNode approval) {
            EventPayloads.dropNulls(approval);
            approval.remove("pending");
        }
        return tree.toString();
    }

    Run read(String json) {
        try {
            ObjectNode tree = (ObjectNode) mapper.readTree(json);
            JsonNode plan = tree.path("plan").path("steps");
            JsonNode log = tree.path("execution_log");
            for (int i = 0; i < log.size(); i++) {
                if (log.get(i) instanceof ObjectNode entry && !entry.has("step_number") && i < plan.size()) {
                    expandStep(entry, plan.get(i));
                }
            }
            if (!tree.has("result") && RunStatus.COMPLETED.wireName().equals(tree.path("status").asText())
                    && log.size() > 0) {
                tree.set("result", log.get(log.size() - 1).get("output"));
            }
            return mapper.treeToValue(tree, Run.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compactStep(ObjectNode entry, JsonNode planned, StepRecord step) {
        if (entry.path("step_number").asInt() != planned.path("step_number").asInt()
                || !entry.path("tool_name").asText().equals(planned.path("tool_name").asText())) {
            return;
        }
        entry.remove("step_number");
        entry.remove("tool_name");
        if (entry.path("tool_input").equals(planned.path("tool_input"))) {
            entry.remove("tool_input");
        }
        entry.remove("success");
        if (entry.path("attempts").asInt() == 0) {
            entry.remove("attempts");
        }
        if (!step.reused()) {
            entry.remove("reused");
        }
        // From the record's instants, not by parsing the tree's timestamps back (a profile found that per write).
        Double derived = step.startedAt() == null || step.finishedAt() == null ? null
                : StepRecord.millisBetween(step.startedAt(), step.finishedAt());
        if (derived != null && derived.equals(step.durationMs())) {
            entry.remove("duration_ms");
        }
        EventPayloads.dropNulls(entry);
    }

    private static void expandStep(ObjectNode entry, JsonNode planned) {
        entry.set("step_number", planned.get("step_number"));
        entry.set("tool_name", planned.get("tool_name"));
        if (!entry.has("tool_input")) {
            entry.set("tool_input", planned.get("tool_input"));
        }
        entry.put("success", StepStatus.COMPLETED.wireName().equals(entry.path("status").asText()));
        if (!entry.has("duration_ms")) {
            Double derived = duration(entry);
            if (derived != null) {
                entry.put("duration_ms", derived);
            }
        }
    }

    /** The duration a stored step's two timestamps give, as {@link StepRecord#millisBetween} computes it. */
    private static Double duration(ObjectNode entry) {
        if (!entry.path("started_at").isTextual() || !entry.path("finished_at").isTextual()) {
            return null;
        }
        return StepRecord.millisBetween(Instant.parse(entry.get("started_at").asText()),
                Instant.parse(entry.get("finished_at").asText()));
    }

    private static JsonNode nullIfJsonNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}
