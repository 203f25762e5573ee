package dev.agentruntime.security;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.agentruntime.testing.OpenAiMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.agentruntime.testing.OpenAiMock.answer;
import static dev.agentruntime.testing.OpenAiMock.chatCompletions;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Per-tenant limits on one instance: runs per minute (429), and the daily LLM budget (back to the rules). */
@QuarkusTest
@WithTestResource(OpenAiMock.class)
@TestProfile(LimitsTest.Tight.class)
class LimitsTest {

    static final String ACME = "acme-limits-0123456789";
    static final String GLOBEX = "globex-limits-0123456789";
    static final String INITECH = "initech-limits-0123456789";
    static final String UMBRELLA = "umbrella-limits-0123456789";
    static final String HOOLI = "hooli-limits-0123456789";
    static final String WAYNE = "wayne-limits-0123456789";

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("agent.auth.mode", "api-key");
            config.put("agent.auth.api-keys", "acme=" + ACME + ",globex=" + GLOBEX + ",initech=" + INITECH + ",umbrella=" + UMBRELLA
                    + ",hooli=" + HOOLI + ",wayne=" + WAYNE);
            config.put("agent.limits.runs-per-minute", "4");
            config.put("agent.limits.daily-tokens", "1000");
            return config;
        }
    }

    private static final String PLAN = """
            {"steps": [{"step_number": 1, "tool_name": "calculator", "tool_input": {"expression": "2 + 2"}}]}""";

    WireMockServer mock;

    @Test
    void aTenantOverItsRateGets429WhileOthersGoOnAndItsReplaysStillAnswer() {
        mock.resetAll();
        mock.stubFor(chatCompletions().willReturn(answer(PLAN, 1, 1)));
        // The window slides: no need to start right after a minute boundary.
        String first = post(INITECH, "calculate 1 + 1").header("Idempotency-Key", "limits-replay")
                .post("/api/v1/runs").then().statusCode(201).extract().path("run_id");
        for (int i = 0; i < 3; i++) {
            post(INITECH, "calculate 1 + 1").post("/api/v1/runs").then().statusCode(201);
        }
        post(INITECH, "calculate 1 + 1").post("/api/v1/runs").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .contentType("application/problem+json")
                .body("detail", containsString("at most 4 runs per minute"));
        // Issue 13, item 7: a replay starts nothing, so it is not refused for the rate.
        post(INITECH, "calculate 1 + 1").header("Idempotency-Key", "limits-replay").post("/api/v1/runs")
                .then().statusCode(200).body("run_id", equalTo(first));
        post(GLOBEX, "calculate 1 + 1").post("/api/v1/runs").then().statusCode(201);
    }

    /** Issue 30: a fork counts against the tenant's rate like any run; its idempotent replay does not. */
    @Test
    void aForkCountsAgainstTheRateLikeARun() {
        mock.resetAll();
        mock.stubFor(chatCompletions().willReturn(answer(PLAN, 1, 1)));
        String source = post(WAYNE, "calculate 2 + 2").post("/api/v1/runs").then().statusCode(201)
                .body("status", equalTo("completed")).extract().path("run_id");
        String first = fork(WAYNE).header("Idempotency-Key", "limits-fork").post("/api/v1/runs/" + source + "/fork")
                .then().statusCode(201).extract().path("run_id");
        for (int i = 0; i < 2; i++) {
            fork(WAYNE).post("/api/v1/runs/" + source + "/fork").then().statusCode(201);
        }
        fork(WAYNE).post("/api/v1/runs/" + source + "/fork").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("detail", containsString("at most 4 runs per minute"));
        fork(WAYNE).header("Idempotency-Key", "limits-fork").post("/api/v1/runs/" + source + "/fork").then()
                .statusCode(200).body("run_id", equalTo(first));
        given().header("Authorization", "Bearer " + WAYNE).get("/api/v1/runs/" + source + "/forks").then()
                .statusCode(200).body("size()", equalTo(3));
    }

    private static RequestSpecification fork(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"from_step\": 1}");
    }

    @Test
    void aTenantThatSpentItsLlmBudgetIsPlannedByRulesWhileAnotherKeepsTheModel() {
        mock.resetAll();
        mock.stubFor(chatCompletions().willReturn(answer(PLAN, 1100, 100)));

        post(ACME, "what is two plus two").post("/api/v1/runs").then().statusCode(201)
                .body("planner", equalTo("llm")).body("usage.input_tokens", equalTo(1100));
        post(ACME, "calculate 2 + 2").post("/api/v1/runs").then().statusCode(201)
                .body("planner", equalTo("rules"))
                .body("fallback_reason", equalTo("budget_exhausted"))
                .body("usage.input_tokens", equalTo(0))
                .body("result", equalTo(4));
        post(GLOBEX, "what is two plus two").post("/api/v1/runs").then().statusCode(201)
                .body("planner", equalTo("llm")).body("fallback_reason", nullValue());
    }

    /**
     * Issue 25: a model that reports negative usage lowered the tenant's spending, so its budget never ran out. Now
     * a negative count is 0 (and counted): after it, one real answer still spends the budget.
     */
    @Test
    void aModelsNegativeUsageNeverLowersTheSpending() {
        mock.resetAll();
        double before = invalidUsage("input") + invalidUsage("output");
        mock.stubFor(chatCompletions().willReturn(answer(PLAN, -1_000_000, -5)));
        post(UMBRELLA, "what is two plus two").post("/api/v1/runs").then().statusCode(201)
                .body("planner", equalTo("llm"))
                .body("usage.input_tokens", equalTo(0)).body("usage.output_tokens", equalTo(0))
                .body("usage.cost_usd", equalTo(0.0f));
        org.assertj.core.api.Assertions.assertThat(invalidUsage("input") + invalidUsage("output") - before)
                .isEqualTo(2.0);

        mock.stubFor(chatCompletions().willReturn(answer(PLAN, 900, 100)));
        post(UMBRELLA, "what is two plus two").post("/api/v1/runs").then().statusCode(201)
                .body("planner", equalTo("llm")).body("usage.input_tokens", equalTo(900));
        post(UMBRELLA, "calculate 2 + 2").post("/api/v1/runs").then().statusCode(201)
                .body("planner", equalTo("rules"))
                .body("fallback_reason", equalTo("budget_exhausted"));
    }

    /** A count past any context window is not believed either (nor added up into an overflow). */
    @Test
    void aModelsAbsurdUsageCountsAsNothing() {
        mock.resetAll();
        double before = invalidUsage("input");
        mock.stubFor(chatCompletions().willReturn(answer(PLAN, Integer.MAX_VALUE, 7)));
        post(HOOLI, "what is two plus two").post("/api/v1/runs").then().statusCode(201)
                .body("planner", equalTo("llm"))
                .body("usage.input_tokens", equalTo(0)).body("usage.output_tokens", equalTo(7));
        org.assertj.core.api.Assertions.assertThat(invalidUsage("input") - before).isEqualTo(1.0);
    }

    private static double invalidUsage(String type) {
        return dev.agentruntime.testing.Prometheus.value(dev.agentruntime.testing.Management.given()
                .get("/q/metrics").asString(), "agent_llm_usage_invalid_total", Map.of("type", type));
    }

    private static RequestSpecification post(String key, String prompt) {
        return given().header("Authorization", "Bearer " + key).header("Prefer", "wait=10")
                .contentType(ContentType.JSON).body(Map.of("prompt", prompt));
    }
}
