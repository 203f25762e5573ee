package dev.agentruntime.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.Sha256;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What an approval binds to: SHA-256 of the run, the step, the tool and the resolved input, as canonical JSON
 * (object keys sorted at every level), so the same call always has the same hash and any other call another one.
 */
public final class InputHash {

    private InputHash() {
    }

    public static String of(UUID runId, int stepNumber, String toolName, JsonNode input) {
        ObjectNode call = JsonNodeFactory.instance.objectNode();
        call.put("run_id", runId.toString());
        call.put("step_number", stepNumber);
        call.put("tool_name", toolName);
        call.set("tool_input", input);
        StringBuilder canonical = new StringBuilder();
        write(call, canonical);
        return Sha256.hex(canonical.toString());
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                out.append(i == 0 ? "" : ",").append(JsonNodeFactory.instance.textNode(names.get(i))).append(':');
                write(node.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(node.get(i), out);
            }
            out.append(']');
        } else {
            out.append(node);
        }
    }
}
