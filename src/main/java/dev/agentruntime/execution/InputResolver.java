package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentruntime.planning.PlanReferences;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.run.ToolException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;

/** Replaces {@code {{steps.N.output[.field…]}}} in a step's input with what step N returned. */
@ApplicationScoped
public class InputResolver {

    public JsonNode resolve(JsonNode input, Run run) {
        if (input == null) {
            return null;
        }
        if (input.isTextual()) {
            return TextNode.valueOf(resolveText(input.asText(), run));
        }
        if (input.isObject()) {
            ObjectNode copy = ((ObjectNode) input).objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                copy.set(field.getKey(), resolve(field.getValue(), run));
            }
            return copy;
        }
        if (input.isArray()) {
            ArrayNode copy = ((ArrayNode) input).arrayNode();
            input.forEach(element -> copy.add(resolve(element, run)));
            return copy;
        }
        return input;
    }

    private String resolveText(String text, Run run) {
        Matcher m = PlanReferences.PLACEHOLDER.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            int stepNumber = Integer.parseInt(m.group(1));
            JsonNode value = outputOf(run, stepNumber, m.group(0));
            String path = m.group(2);
            for (String field : path.isEmpty() ? new String[0] : path.substring(1).split("\\.")) {
                value = value.path(field);
                if (value.isMissingNode() || value.isNull()) {
                    throw new ToolException(m.group(0) + ": step " + stepNumber + "'s output has no field '"
                            + path.substring(1) + "'");
                }
            }
            m.appendReplacement(resolved, Matcher.quoteReplacement(asText(value)));
        }
        m.appendTail(resolved);
        return resolved.toString();
    }

    private static JsonNode outputOf(Run run, int stepNumber, String placeholder) {
        if (stepNumber < 1 || stepNumber > run.executionLog().size()) {
            throw new ToolException(placeholder + " refers to step " + stepNumber + ", which the plan does not have");
        }
        StepRecord step = run.step(stepNumber);
        if (!step.isDone()) {
            throw new ToolException(placeholder + " refers to step " + stepNumber + ", which has not completed");
        }
        return step.output();
    }

    /** Numbers as plain decimals (never 1E+2), strings as they are, anything else as JSON text. */
    private static String asText(JsonNode value) {
        if (value.isNumber()) {
            return value.decimalValue().toPlainString();
        }
        return value.isTextual() ? value.asText() : value.toString();
    }
}
