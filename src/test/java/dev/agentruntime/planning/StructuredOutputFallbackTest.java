package dev.agentruntime.planning;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.agentruntime.testing.Management;
import dev.agentruntime.testing.OpenAiMock;
import dev.agentruntime.testing.Prometheus;
import dev.agentruntime.testing.TestJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.agentruntime.testing.OpenAiMock.answer;
import static dev.agentruntime.testing.OpenAiMock.chatCompletions;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * An endpoint that refuses {@code json_schema} (as some models and servers do) is asked again at once without it,
 * not sent to the rules; the next request goes straight to the form that worked. Its own application, since what
 * works is remembered per endpoint until restart.
 */
@QuarkusTest
@WithTestResource(OpenAiMock.class)
@TestProfile(StructuredOutputFallbackTest.Own.class)
class StructuredOutputFallbackTest {

    public static class Own implements QuarkusTestProfile {
    }

    private static final String PLAN = """
            {"steps": [{"step_number": 1, "tool_name": "calculator", "tool_input": {"expression": "2 + 2"},
                        "reasoning": "add"}]}""";

    WireMockServer mock;

    @Test
    void aRefusedResponseFormatIsDroppedOnceAndRemembered() throws Exception {
        mock.resetAll();
        mock.stubFor(chatCompletions().atPriority(1).withRequestBody(containing("\"json_schema\""))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("""
                        {"error": {"message": "Invalid parameter: 'response_format' of type 'json_schema' is not \
                        supported with this model.", "type": "invalid_request_error", "param": "response_format"}}""")));
        mock.stubFor(chatCompletions().atPriority(2).willReturn(answer(PLAN, 50, 10)));

        run("what is two plus two").then().statusCode(201)
                .body("planner", equalTo("llm"))
                .body("fallback_reason", nullValue())
                .body("result", equalTo(4));
        List<LoggedRequest> first = requests();
        assertThat(first).hasSize(2);
        assertThat(format(first.get(0))).isEqualTo("json_schema");
        assertThat(format(first.get(1))).isEqualTo("json_object");

        mock.resetRequests();
        run("what is two plus two, again").then().statusCode(201).body("planner", equalTo("llm"));
        List<LoggedRequest> second = requests();
        assertThat(second).hasSize(1);
        assertThat(format(second.get(0))).isEqualTo("json_object");

        assertThat(Prometheus.value(Management.given().get("/q/metrics").asString(),
                "agent_llm_response_format_refusals_total", Map.of("refused", "json_schema", "next", "json_object")))
                .isEqualTo(1);
    }

    @Test
    void aBadRequestAboutSomethingElseIsNotAskedAgain() {
        mock.resetAll();
        mock.stubFor(chatCompletions().willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\": {\"message\": \"maximum context length exceeded\"}}")));

        run("calculate 1 + 1").then().statusCode(201)
                .body("planner", equalTo("rules"))
                .body("fallback_reason", equalTo("model_rejected_request"));
        assertThat(requests()).hasSize(1);
    }

    private static io.restassured.response.Response run(String prompt) {
        return given().contentType(ContentType.JSON).header("Prefer", "wait=10").body(Map.of("prompt", prompt))
                .post("/api/v1/runs");
    }

    private List<LoggedRequest> requests() {
        return mock.findAll(postRequestedFor(urlPathMatching(".*/chat/completions")));
    }

    private static String format(LoggedRequest request) throws Exception {
        return TestJson.mapper().readTree(request.getBodyAsString()).path("response_format").path("type").asText();
    }
}
