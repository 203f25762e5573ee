package dev.agentruntime.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.agentruntime.testing.OpenAiMock;
import dev.agentruntime.testing.TestJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.agentruntime.testing.OpenAiMock.answer;
import static dev.agentruntime.testing.OpenAiMock.chatCompletions;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The model is asked for a plan through {@code response_format}: the plan's JSON Schema with one branch per tool
 * the tenant may use, each tying the tool's name to its own input schema, in the subset strict mode enforces.
 */
@QuarkusTest
@WithTestResource(OpenAiMock.class)
class StructuredOutputTest {

    WireMockServer mock;

    @BeforeEach
    void reset() {
        mock.resetAll();
    }

    @Test
    void theRequestCarriesAStrictPlanSchemaWithOneBranchPerTool() throws Exception {
        mock.stubFor(chatCompletions().willReturn(answer("""
                {"steps": [{"step_number": 1, "tool_name": "calculator", "tool_input": {"expression": "6 * 7"},
                            "reasoning": "multiply", "depends_on": null}]}""", 100, 10)));

        given().contentType(ContentType.JSON).header("Prefer", "wait=10").body(Map.of("prompt", "six times seven"))
                .post("/api/v1/runs").then().statusCode(201)
                .body("planner", equalTo("llm")).body("result", equalTo(42));

        JsonNode format = lastRequest().get("response_format");
        assertThat(format.get("type").asText()).isEqualTo("json_schema");
        assertThat(format.at("/json_schema/name").asText()).isEqualTo("plan");
        assertThat(format.at("/json_schema/strict").asBoolean()).isTrue();
        JsonNode schema = format.at("/json_schema/schema");
        assertThat(schema.at("/additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.at("/properties/steps/minItems").asInt()).isEqualTo(1);
        assertThat(schema.at("/properties/steps/maxItems").asInt()).isEqualTo(10);

        List<String> branchTools = new ArrayList<>();
        for (JsonNode branch : schema.at("/properties/steps/items/anyOf")) {
            assertThat(branch.at("/properties/tool_name/enum")).hasSize(1);
            branchTools.add(branch.at("/properties/tool_name/enum/0").asText());
            assertThat(branch.at("/additionalProperties").asBoolean(true)).isFalse();
            assertThat(branch.at("/required")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("step_number", "tool_name", "tool_input", "reasoning", "depends_on");
        }
        // Exactly the tools of the tenant, each once.
        List<String> tools = given().get("/api/v1/health").then().extract().jsonPath().getList("tools.name");
        assertThat(branchTools).containsExactlyInAnyOrderElementsOf(tools);

        JsonNode calculator = branch(schema, "calculator").at("/properties/tool_input");
        assertThat(calculator.at("/properties/expression/type").asText()).isEqualTo("string");
        assertThat(calculator.at("/additionalProperties").asBoolean(true)).isFalse();
        // Strict mode lists every property as required; the todo tool's optional ones become nullable.
        JsonNode todo = branch(schema, "todo_store").at("/properties/tool_input");
        List<String> required = new ArrayList<>();
        todo.at("/required").forEach(name -> required.add(name.asText()));
        List<String> properties = new ArrayList<>();
        todo.at("/properties").fieldNames().forEachRemaining(properties::add);
        assertThat(required).containsExactlyInAnyOrderElementsOf(properties);
        assertThat(todo.at("/properties/limit/type").toString()).contains("null");
    }

    @Test
    void nullsStandingForLeftOutFieldsAreDroppedBeforeTheToolsSchemaJudges() {
        // Strict mode makes the model send every property: the ones it leaves out come as null.
        mock.stubFor(chatCompletions().willReturn(answer("""
                {"steps": [{"step_number": 1, "tool_name": "todo_store",
                            "tool_input": {"action": "list", "text": null, "todo_id": null, "limit": null,
                                           "offset": null},
                            "reasoning": "list", "depends_on": null}]}""", 10, 10)));
        given().contentType(ContentType.JSON).header("Prefer", "wait=10").body(Map.of("prompt", "list my todos"))
                .post("/api/v1/runs").then().statusCode(201)
                .body("planner", equalTo("llm"))
                .body("status", equalTo("completed"))
                .body("plan.steps[0].tool_input", equalTo(Map.of("action", "list")));
    }

    private JsonNode lastRequest() throws Exception {
        var requests = mock.findAll(postRequestedFor(urlPathMatching(".*/chat/completions")));
        assertThat(requests).isNotEmpty();
        return TestJson.mapper().readTree(requests.get(requests.size() - 1).getBodyAsString());
    }

    private static JsonNode branch(JsonNode schema, String tool) {
        for (JsonNode branch : schema.at("/properties/steps/items/anyOf")) {
            if (branch.at("/properties/tool_name/enum/0").asText().equals(tool)) {
                return branch;
            }
        }
        throw new AssertionError("no branch for " + tool);
    }
}
