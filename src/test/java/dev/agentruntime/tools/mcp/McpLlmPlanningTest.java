package dev.agentruntime.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.agentruntime.testing.McpServersResource;
import dev.agentruntime.testing.TestJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.agentruntime.testing.McpServersResource.ACME_KEY;
import static dev.agentruntime.testing.McpServersResource.GLOBEX_KEY;
import static dev.agentruntime.testing.OpenAiMock.answer;
import static dev.agentruntime.testing.OpenAiMock.chatCompletions;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The LLM planner (a local OpenAI-compatible mock) with real MCP servers: the model is told about each MCP tool the
 * tenant may use, with the server's own schema, and a plan naming one runs; a plan naming one the tenant may not
 * use is refused.
 */
@QuarkusTest
@WithTestResource(dev.agentruntime.testing.OpenAiMock.class)
@WithTestResource(McpServersResource.class)
class McpLlmPlanningTest {

    WireMockServer mock;

    @BeforeEach
    void ready() {
        mock.resetAll();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(given()
                .header("Authorization", "Bearer " + ACME_KEY).get("/api/v1/health").then()
                .extract().jsonPath().getList("mcp_servers.state", String.class)).containsOnly("ready"));
    }

    @Test
    void theModelSeesTheTenantsMcpToolsWithTheirSchemasAndItsPlanRuns() throws Exception {
        mock.stubFor(chatCompletions().willReturn(answer("""
                {"steps": [{"step_number": 1, "tool_name": "everything__get-sum", "tool_input": {"a": 19, "b": 23},
                            "reasoning": "add"}]}""", 100, 20)));

        run(ACME_KEY, "what is 19 plus 23?").then().statusCode(201)
                .body("planner", equalTo("llm"))
                .body("status", equalTo("completed"))
                .body("result", equalTo("The sum of 19 and 23 is 42."));
        String acme = systemMessage();
        assertThat(acme).contains("- everything__get-sum: ", "- memory__read_graph: ", "- calculator: ");
        // The server's schema, as it listed it.
        String line = acme.lines().dropWhile(l -> !l.startsWith("- everything__get-sum:")).skip(1).findFirst()
                .orElseThrow();
        assertThat(line).contains("\"a\"", "\"b\"", "\"number\"", "\"required\"");

        mock.resetRequests();
        run(GLOBEX_KEY, "what is 19 plus 23?").then().statusCode(201).body("status", equalTo("completed"));
        assertThat(systemMessage()).contains("- everything__get-sum: ").doesNotContain("memory__");
    }

    @Test
    void aPlanNamingAToolTheTenantMayNotUseIsRefused() {
        mock.stubFor(chatCompletions().willReturn(answer("""
                {"steps": [{"step_number": 1, "tool_name": "memory__read_graph", "tool_input": {},
                            "reasoning": "look"}]}""", 100, 20)));

        // The model's plan is invalid for globex; the rules then serve the prompt, and cannot.
        run(GLOBEX_KEY, "show me the knowledge graph").then().statusCode(422)
                .body("type", containsString("planning-failed"))
                .body("detail", containsString("could not map"));
        run(ACME_KEY, "show me the knowledge graph").then().statusCode(201)
                .body("planner", equalTo("llm"))
                .body("status", equalTo("completed"));
    }

    private static io.restassured.response.Response run(String key, String prompt) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key)
                .header("Prefer", "wait=30").body(Map.of("prompt", prompt)).post("/api/v1/runs");
    }

    private String systemMessage() throws Exception {
        List<com.github.tomakehurst.wiremock.verification.LoggedRequest> requests =
                mock.findAll(postRequestedFor(urlPathMatching(".*/chat/completions")));
        assertThat(requests).isNotEmpty();
        JsonNode body = TestJson.mapper().readTree(requests.get(requests.size() - 1).getBodyAsString());
        return body.get("messages").get(0).get("content").asText();
    }
}
