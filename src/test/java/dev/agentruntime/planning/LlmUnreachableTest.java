package dev.agentruntime.planning;

import dev.agentruntime.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** The model's address refuses connections: the rules serve, and the run says so. */
@QuarkusTest
@TestProfile(LlmUnreachableTest.ClosedPort.class)
class LlmUnreachableTest {

    public static class ClosedPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agent.planner.mode", "llm",
                    "quarkus.langchain4j.openai.base-url", "http://127.0.0.1:" + closedPort() + "/v1/",
                    "quarkus.langchain4j.openai.api-key", "test-key-not-real");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void connectionRefusedFallsBackToTheRules() {
        given().contentType(ContentType.JSON).header("Prefer", "wait=10")
                .body(Map.of("prompt", "calculate (10 + 5) * 2")).post("/api/v1/runs")
                .then().statusCode(201)
                .body("planner", equalTo("rules"))
                .body("fallback_reason", equalTo("model_unreachable"))
                .body("status", equalTo("completed"))
                .body("result", equalTo(30))
                .body("usage.input_tokens", equalTo(0));
    }

    /**
     * Issue 26, item 7: a prompt only the model could have planned, while it is unreachable, is refused saying so
     * (the 422 listed what the rules can do, as if the prompt were the problem); health keeps the configured
     * planner and says the model is down, since when and why.
     */
    @Test
    void anUnplannablePromptWhileTheModelIsDownSaysTheModelWasUnreachableAndHealthShowsIt() {
        Instant before = Instant.now();
        given().contentType(ContentType.JSON).body(Map.of("prompt", "sing me a song")).post("/api/v1/runs")
                .then().statusCode(422)
                .body("detail", containsString("the model was unreachable (connection refused)"))
                .body("detail", containsString("I can calculate"));
        var health = given().get("/api/v1/health").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("planner", equalTo("llm"))
                .body("checks.model", equalTo("DOWN"))
                .body("model.status", equalTo("DOWN"))
                .body("model.last_failure", equalTo("model_unreachable: connection refused"))
                .body("model.last_success_at", nullValue())
                .extract().jsonPath();
        assertThat(Instant.parse(health.getString("model.last_failure_at"))).isAfterOrEqualTo(
                before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        // Readiness does not depend on the model: the rules serve.
        Management.given().get("/q/health/ready").then().statusCode(200);
    }
}
