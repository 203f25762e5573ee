package dev.agentruntime.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.tools.Tool;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON Schema of a plan for a given tool catalog, sent as the model's {@code response_format}: {@code steps} (1
 * to the step limit), each one branch per tool ({@code anyOf}) tying {@code tool_name} (an enum of that one tool) to
 * its own {@code tool_input} schema, with {@code step_number}, {@code reasoning} and {@code depends_on}.
 *
 * <p>OpenAI's strict mode enforces a subset of JSON Schema: every object closed ({@code additionalProperties:
 * false}) with every property required (an optional one becomes nullable), and no {@code allOf}, {@code not},
 * conditionals, pattern or free-form objects. Each tool schema is rewritten into that subset where it can be:
 * annotations and unsupported constraints ({@code minLength}, {@code default}…) are dropped (the plan validator
 * still checks the tool's own schema afterwards), {@code oneOf} becomes the looser {@code anyOf}. When a tool's
 * schema cannot be expressed, the plan schema is sent non-strict (the tools' schemas as they are) and
 * {@link Built#notStrict} says why.
 */
final class PlanSchema {

    /** Schema keywords strict mode accepts, per the OpenAI structured-outputs reference. */
    private static final Set<String> KEPT = Set.of("type", "properties", "required", "items", "enum", "const",
            "description", "anyOf", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "multipleOf", "minItems", "maxItems", "additionalProperties");
    /**
     * Constraints that only narrow what is valid (conditional requirements, exclusions): left out, the schema is
     * looser, and the validator still applies them to the answer. An {@code allOf} that adds properties is not one.
     */
    private static final Set<String> NARROWING = Set.of("allOf", "not", "if", "then", "else", "dependentRequired",
            "dependentSchemas", "unevaluatedProperties", "propertyNames");
    /** Keywords that change what is valid in a way the subset cannot say: such a schema is sent non-strict. */
    private static final Set<String> BLOCKING = Set.of("patternProperties", "$ref", "$defs", "definitions",
            "prefixItems");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A plan schema, whether it satisfies strict mode, and if not, why not (one line per problem). */
    record Built(ObjectNode schema, boolean strict, List<String> notStrict) {
    }

    private PlanSchema() {
    }

    static Built build(List<Tool> tools, int maxSteps) {
        List<String> problems = new ArrayList<>();
        List<ObjectNode> strictInputs = new ArrayList<>();
        for (Tool tool : tools) {
            strictInputs.add(strict(tool.inputSchema(), tool.name() + ".tool_input", problems));
        }
        boolean strict = problems.isEmpty();
        ArrayNode branches = JSON.arrayNode();
        for (int i = 0; i < tools.size(); i++) {
            Tool tool = tools.get(i);
            JsonNode input = strict ? strictInputs.get(i) : withoutMetaKeywords(tool.inputSchema());
            branches.add(step(tool.name(), input));
        }
        ObjectNode steps = JSON.objectNode().put("type", "array").put("minItems", 1).put("maxItems", maxSteps);
        steps.set("items", JSON.objectNode().set("anyOf", branches));
        ObjectNode root = JSON.objectNode().put("type", "object");
        root.set("properties", JSON.objectNode().set("steps", steps));
        root.set("required", JSON.arrayNode().add("steps"));
        root.put("additionalProperties", false);
        return new Built(root, strict, List.copyOf(problems));
    }

    private static ObjectNode step(String toolName, JsonNode input) {
        ObjectNode properties = JSON.objectNode();
        properties.set("step_number", JSON.objectNode().put("type", "integer").put("minimum", 1));
        properties.set("tool_name", JSON.objectNode().put("type", "string").set("enum",
                JSON.arrayNode().add(toolName)));
        properties.set("tool_input", input);
        properties.set("reasoning", JSON.objectNode().put("type", "string"));
        ObjectNode dependsOn = JSON.objectNode();
        dependsOn.set("type", JSON.arrayNode().add("array").add("null"));
        dependsOn.set("items", JSON.objectNode().put("type", "integer"));
        properties.set("depends_on", dependsOn);
        ObjectNode step = JSON.objectNode().put("type", "object");
        step.set("properties", properties);
        ArrayNode required = JSON.arrayNode();
        properties.fieldNames().forEachRemaining(required::add);
        step.set("required", required);
        step.put("additionalProperties", false);
        return step;
    }

    /** The strict-mode rewrite of {@code schema}; problems that make it impossible are added to {@code problems}. */
    static ObjectNode strict(JsonNode schema, String path, List<String> problems) {
        if (schema == null || !schema.isObject()) {
            problems.add(path + ": not a schema object");
            return JSON.objectNode();
        }
        ObjectNode copy = JSON.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = schema.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String keyword = field.getKey();
            if (BLOCKING.contains(keyword) || keyword.equals("allOf") && addsProperties(field.getValue())) {
                problems.add(path + ": uses '" + keyword + "', which strict mode does not support");
            } else if (NARROWING.contains(keyword)) {
                continue;
            } else if (keyword.equals("oneOf")) {
                copy.set("anyOf", field.getValue());
            } else if (KEPT.contains(keyword)) {
                copy.set(keyword, field.getValue());
            }
        }
        if (copy.has("anyOf")) {
            ArrayNode branches = JSON.arrayNode();
            int i = 0;
            for (JsonNode branch : copy.get("anyOf")) {
                branches.add(strict(branch, path + ".anyOf[" + i++ + "]", problems));
            }
            copy.set("anyOf", branches);
            return copy;
        }
        if (!copy.has("type") && copy.has("enum")) {
            inferType(copy);
        }
        if (!copy.has("type")) {
            problems.add(path + ": has no type");
            return copy;
        }
        if (isType(copy, "object")) {
            closeObject(copy, path, problems);
        }
        if (isType(copy, "array")) {
            if (copy.has("items") && copy.get("items").isObject()) {
                copy.set("items", strict(copy.get("items"), path + "[]", problems));
            } else {
                problems.add(path + ": an array without one item schema");
            }
        }
        return copy;
    }

    private static boolean addsProperties(JsonNode allOf) {
        for (JsonNode member : allOf) {
            if (member.has("properties") || member.path("then").has("properties")
                    || member.path("else").has("properties")) {
                return true;
            }
        }
        return false;
    }

    /** {@code {"enum": ["a", "b"]}} is {@code "type": "string"} too: strict mode wants the type said. */
    private static void inferType(ObjectNode schema) {
        Set<String> types = new java.util.TreeSet<>();
        schema.get("enum").forEach(value -> types.add(value.isTextual() ? "string" : value.isIntegralNumber()
                ? "integer" : value.isNumber() ? "number" : value.isBoolean() ? "boolean" : value.isNull() ? "null"
                : "other"));
        if (types.contains("integer") && types.contains("number")) {
            types.remove("integer");
        }
        if (types.contains("other")) {
            return;
        }
        if (types.size() == 1) {
            schema.put("type", types.iterator().next());
        } else {
            ArrayNode list = JSON.arrayNode();
            types.forEach(list::add);
            schema.set("type", list);
        }
    }

    private static void closeObject(ObjectNode copy, String path, List<String> problems) {
        JsonNode additional = copy.get("additionalProperties");
        if (additional != null && !(additional.isBoolean() && !additional.booleanValue())) {
            problems.add(path + ": open to any property (additionalProperties), which strict mode cannot express");
        }
        JsonNode properties = copy.get("properties");
        if (properties == null || !properties.isObject() || properties.isEmpty()) {
            if (properties == null || !properties.isObject()) {
                // {"type": "object"} with no properties: strict mode only takes the empty object, which is
                // exactly what a tool without arguments needs.
                copy.set("properties", JSON.objectNode());
            }
            copy.set("required", JSON.arrayNode());
            copy.put("additionalProperties", false);
            return;
        }
        Set<String> required = new java.util.HashSet<>();
        copy.path("required").forEach(name -> required.add(name.asText()));
        ObjectNode strictProperties = JSON.objectNode();
        ArrayNode allRequired = JSON.arrayNode();
        properties.fields().forEachRemaining(property -> {
            ObjectNode strictProperty = strict(property.getValue(), path + "." + property.getKey(), problems);
            strictProperties.set(property.getKey(), required.contains(property.getKey()) ? strictProperty
                    : nullable(strictProperty));
            allRequired.add(property.getKey());
        });
        copy.set("properties", strictProperties);
        copy.set("required", allRequired);
        copy.put("additionalProperties", false);
    }

    /** An optional property, which strict mode must list as required: null stands for "left out". */
    private static ObjectNode nullable(ObjectNode schema) {
        if (schema.has("anyOf")) {
            ((ArrayNode) schema.get("anyOf")).add(JSON.objectNode().put("type", "null"));
        } else if (schema.has("enum") && !schema.has("type")) {
            ((ArrayNode) schema.get("enum")).addNull();
        } else if (schema.has("type")) {
            JsonNode type = schema.get("type");
            ArrayNode types = JSON.arrayNode();
            if (type.isArray()) {
                type.forEach(types::add);
            } else {
                types.add(type);
            }
            if (!types.toString().contains("\"null\"")) {
                types.add("null");
            }
            schema.set("type", types);
            if (schema.has("enum")) {
                ((ArrayNode) schema.get("enum")).addNull();
            }
        }
        return schema;
    }

    private static boolean isType(JsonNode schema, String type) {
        JsonNode declared = schema.get("type");
        if (declared == null) {
            return false;
        }
        if (declared.isArray()) {
            for (JsonNode each : declared) {
                if (type.equals(each.asText())) {
                    return true;
                }
            }
            return false;
        }
        return type.equals(declared.asText());
    }

    /** A tool's schema as it is, minus {@code $schema}/{@code $id}, which response formats refuse. */
    private static JsonNode withoutMetaKeywords(JsonNode schema) {
        if (!(schema instanceof ObjectNode object)) {
            return schema;
        }
        ObjectNode copy = object.deepCopy();
        copy.remove(List.of("$schema", "$id"));
        return copy;
    }

    /**
     * Removes, from a model's tool input, the nulls that stand for a property left out (see {@link #nullable}), so
     * that the tool's own schema, which may not allow null, judges what the model meant.
     */
    static JsonNode dropOmitted(JsonNode input, JsonNode schema) {
        if (input instanceof ArrayNode array && schema != null && schema.path("items").isObject()) {
            array.forEach(item -> dropOmitted(item, schema.get("items")));
            return input;
        }
        if (!(input instanceof ObjectNode object) || schema == null) {
            return input;
        }
        Set<String> required = new java.util.HashSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        JsonNode properties = schema.path("properties");
        List<String> omitted = new ArrayList<>();
        object.fields().forEachRemaining(field -> {
            if (field.getValue().isNull() && !required.contains(field.getKey())) {
                omitted.add(field.getKey());
            } else if (properties.has(field.getKey())) {
                dropOmitted(field.getValue(), properties.get(field.getKey()));
            }
        });
        object.remove(omitted);
        return object;
    }
}
