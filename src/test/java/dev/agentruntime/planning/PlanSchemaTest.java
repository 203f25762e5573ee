package dev.agentruntime.planning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.testing.TestJson;
import dev.agentruntime.testing.TestTools;
import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Tool schemas rewritten into the subset strict structured outputs enforce, and where that cannot be done. */
class PlanSchemaTest {

    @Test
    void optionalPropertiesBecomeRequiredAndNullableAndObjectsAreClosed() throws Exception {
        List<String> problems = new ArrayList<>();
        JsonNode strict = PlanSchema.strict(json("""
                {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                 "properties": {"a": {"type": "number", "default": 1, "title": "A"},
                                "mode": {"enum": ["x", "y"]},
                                "tags": {"type": "array", "items": {"type": "string", "minLength": 2}},
                                "nested": {"type": "object", "properties": {"k": {"type": "string"}}}},
                 "required": ["a"]}"""), "t", problems);

        assertThat(problems).isEmpty();
        assertThat(strict.has("$schema")).isFalse();
        assertThat(strict.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(strict.get("required")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("a", "mode", "tags", "nested");
        assertThat(strict.at("/properties/a")).isEqualTo(json("{\"type\": \"number\"}"));
        assertThat(strict.at("/properties/mode")).isEqualTo(json("{\"type\": [\"string\", \"null\"], "
                + "\"enum\": [\"x\", \"y\", null]}"));
        assertThat(strict.at("/properties/tags/items")).isEqualTo(json("{\"type\": \"string\"}"));
        assertThat(strict.at("/properties/nested/additionalProperties").asBoolean(true)).isFalse();
        assertThat(strict.at("/properties/nested/required/0").asText()).isEqualTo("k");
        assertThat(strict.at("/properties/nested/properties/k/type").toString()).contains("null");
    }

    @Test
    void conditionalRequirementsAreLeftToTheValidatorAndOneOfBecomesAnyOf() throws Exception {
        List<String> problems = new ArrayList<>();
        JsonNode strict = PlanSchema.strict(json("""
                {"type": "object", "properties": {"v": {"oneOf": [{"type": "string"}, {"type": "integer"}]}},
                 "required": ["v"],
                 "allOf": [{"if": {"properties": {"v": {"const": "a"}}}, "then": {"required": ["v"]}}]}"""),
                "t", problems);
        assertThat(problems).isEmpty();
        assertThat(strict.has("allOf")).isFalse();
        assertThat(strict.at("/properties/v/anyOf")).hasSize(2);
    }

    @Test
    void whatStrictModeCannotSayIsNamedAndThePlanSchemaIsSentNonStrict() throws Exception {
        Tool open = tool("open", "{\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\"}}");
        Tool ref = tool("ref", "{\"type\": \"object\", \"properties\": {\"x\": {\"$ref\": \"#/$defs/x\"}}, "
                + "\"$defs\": {\"x\": {\"type\": \"string\"}}}");
        Tool plain = tool("plain", "{\"type\": \"object\", \"properties\": {\"q\": {\"type\": \"string\"}}, "
                + "\"required\": [\"q\"]}");

        PlanSchema.Built built = PlanSchema.build(List.of(open, ref, plain), 5);

        assertThat(built.strict()).isFalse();
        assertThat(built.notStrict()).anySatisfy(line -> assertThat(line).startsWith("open.tool_input: open to any"))
                .anySatisfy(line -> assertThat(line).startsWith("ref.tool_input.x: uses '$ref'"));
        // Non-strict, each tool's schema goes as it is (minus $schema), so nothing is lost.
        assertThat(built.schema().at("/properties/steps/items/anyOf/1/properties/tool_input/$defs/x/type").asText())
                .isEqualTo("string");
        assertThat(built.schema().at("/properties/steps/maxItems").asInt()).isEqualTo(5);
    }

    @Test
    void aToolWithoutArgumentsTakesTheEmptyObject() throws Exception {
        PlanSchema.Built built = PlanSchema.build(List.of(tool("ping", "{\"type\": \"object\"}")), 3);
        assertThat(built.strict()).isTrue();
        assertThat(built.schema().at("/properties/steps/items/anyOf/0/properties/tool_input")).isEqualTo(json(
                "{\"type\": \"object\", \"properties\": {}, \"required\": [], \"additionalProperties\": false}"));
    }

    @Test
    void leftOutMeansNullOnlyForOptionalFields() throws Exception {
        JsonNode schema = json("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": [\"string\", \"null\"]},"
                + " \"b\": {\"type\": \"string\"}, \"items\": {\"type\": \"array\", \"items\": {\"type\": \"object\","
                + " \"properties\": {\"c\": {\"type\": \"string\"}}}}}, \"required\": [\"a\"]}");
        JsonNode input = json("{\"a\": null, \"b\": null, \"items\": [{\"c\": null}, {\"c\": \"x\"}]}");
        assertThat(PlanSchema.dropOmitted(input, schema)).isEqualTo(json("{\"a\": null, \"items\": [{}, {\"c\": \"x\"}]}"));
    }

    private static Tool tool(String name, String schema) throws Exception {
        return TestTools.echoing(new ToolSpec(name, "test", json(schema)));
    }

    private static JsonNode json(String text) throws Exception {
        return TestJson.mapper().readTree(text);
    }
}
