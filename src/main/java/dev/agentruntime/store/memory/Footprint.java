package dev.agentruntime.store.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.StepRecord;

import java.util.Iterator;
import java.util.Map;

/**
 * About how many bytes of heap a run holds, for the memory store's bound. An estimate from the run's strings and JSON
 * trees (a walk, no serialisation on every write): what matters is that a run holding megabytes counts as megabytes.
 */
final class Footprint {

    private static final long RUN = 1_024;
    private static final long STEP = 512;

    private Footprint() {
    }

    static long of(Run run) {
        long bytes = RUN + chars(run.prompt()) + chars(run.error()) + json(run.result());
        for (PlanStep step : run.plan().steps()) {
            bytes += STEP + json(step.toolInput()) + chars(step.reasoning());
        }
        for (StepRecord step : run.executionLog()) {
            bytes += STEP + json(step.toolInput()) + json(step.output()) + chars(step.error());
        }
        return bytes;
    }

    private static long chars(String text) {
        return text == null ? 0 : 40L + 2L * text.length();
    }

    private static long json(JsonNode node) {
        if (node == null) {
            return 0;
        }
        if (node.isTextual()) {
            return chars(node.textValue());
        }
        if (node.isObject()) {
            long bytes = 64;
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                bytes += 32 + chars(field.getKey()) + json(field.getValue());
            }
            return bytes;
        }
        if (node.isArray()) {
            long bytes = 48;
            for (JsonNode element : node) {
                bytes += 8 + json(element);
            }
            return bytes;
        }
        return 24;
    }
}
