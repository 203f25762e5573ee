package dev.agentruntime.planning;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code {{steps.N.output[.field…]}}} placeholders a later step uses to take an earlier step's output. */
public final class PlanReferences {

    /** Group 1: the step number; group 2: the field path after {@code output}, with its leading dot. */
    public static final Pattern PLACEHOLDER =
            Pattern.compile("\\{\\{\\s*steps\\.(\\d+)\\.output((?:\\.[A-Za-z0-9_]+)*)\\s*}}");

    private PlanReferences() {
    }

    public static String outputOf(int stepNumber) {
        return "{{steps." + stepNumber + ".output}}";
    }

    public static String fieldOf(int stepNumber, String path) {
        return "{{steps." + stepNumber + ".output." + path + "}}";
    }

    /** Every step number the input refers to, anywhere in its string values. */
    public static Set<Integer> referencedSteps(JsonNode input) {
        Set<Integer> steps = new TreeSet<>();
        collect(input, steps);
        return steps;
    }

    private static void collect(JsonNode node, Set<Integer> steps) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            Matcher m = PLACEHOLDER.matcher(node.asText());
            while (m.find()) {
                steps.add(Integer.parseInt(m.group(1)));
            }
        } else if (node.isContainerNode()) {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), steps);
            }
        }
    }
}
