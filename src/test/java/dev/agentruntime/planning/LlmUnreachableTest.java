package dev.agentruntime.planning;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

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
}
