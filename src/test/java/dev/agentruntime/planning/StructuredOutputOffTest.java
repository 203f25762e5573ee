package dev.agentruntime.planning;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.agentruntime.testing.OpenAiMock;
import dev.agentruntime.testing.TestJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.agentruntime.testing.OpenAiMock.answer;
import static dev.agentruntime.testing.OpenAiMock.chatCompletions;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** {@code AGENT_PLANNER_STRUCTURED_OUTPUT=off}: the request carries no {@code response_format}; the prose rules. */
@QuarkusTest
@WithTestResource(OpenAiMock.class)
@TestProfile(StructuredOutputOffTest.Off.class)
class StructuredOutputOffTest {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agent.planner.structured-output", "off");
        }
    }

    WireMockServer mock;

    @Test
    void noResponseFormatIsSent() throws Exception {
        mock.resetAll();
        mock.stubFor(chatCompletions().willReturn(answer("""
                {"steps": [{"step_number": 1, "tool_name": "calculator", "tool_input": {"expression": "3 * 3"},
                            "reasoning": "square"}]}""", 10, 10)));
        given().contentType(ContentType.JSON).header("Prefer", "wait=10").body(Map.of("prompt", "three squared"))
                .post("/api/v1/runs").then().statusCode(201).body("planner", equalTo("llm")).body("result", equalTo(9));
        var requests = mock.findAll(postRequestedFor(urlPathMatching(".*/chat/completions")));
        assertThat(requests).hasSize(1);
        var body = TestJson.mapper().readTree(requests.get(0).getBodyAsString());
        assertThat(body.has("response_format")).isFalse();
        assertThat(body.at("/messages/0/content").asText()).contains("Answer with one JSON object and nothing else");
    }
}
