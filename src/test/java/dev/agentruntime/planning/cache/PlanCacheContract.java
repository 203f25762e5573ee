package dev.agentruntime.planning.cache;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.agentruntime.testing.Management;
import dev.agentruntime.testing.Prometheus;
import dev.agentruntime.testing.TestJson;
import dev.agentruntime.testing.TestTools;
import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolRegistry;
import dev.agentruntime.tools.ToolSpec;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.agentruntime.testing.OpenAiMock.answer;
import static dev.agentruntime.testing.OpenAiMock.chatCompletions;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The plan cache, on each store: a repeated request is planned once and costs nothing; another tenant, another tool
 * catalog or an expired entry asks the model again; a plan that failed because of itself, or that today's registry
 * no longer accepts, is dropped.
 */
abstract class PlanCacheContract {

    static final String ACME = "acme-key-cache-0123456789";
    static final String GLOBEX = "globex-key-cache-0123456789";
    static final long TTL_MS = 3000;

    public static class Cached implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agent.planner.cache-ttl", TTL_MS + "ms", "agent.auth.mode", "api-key",
                    "agent.auth.api-keys", "acme=" + ACME + ",globex=" + GLOBEX);
        }
    }

    WireMockServer mock;

    @Inject
    ToolRegistry tools;

    @BeforeEach
    void reset() {
        mock.resetAll();
    }

    @Test
    void aRepeatedRequestIsPlannedOnceAndTheHitCostsNothing() {
        stubPlan("6 * 7");
        String prompt = unique("what is six times seven");
        double hits = cacheEvents("hit");

        run(ACME, prompt).then().statusCode(201).body("plan_cached", equalTo(false))
                .body("usage.input_tokens", equalTo(100)).body("result", equalTo(42));
        // The same words with other whitespace are the same request.
        run(ACME, "  " + prompt.replace(" ", "   ") + "\n").then().statusCode(201)
                .body("planner", equalTo("llm"))
                .body("plan_cached", equalTo(true))
                .body("usage.input_tokens", equalTo(0))
                .body("usage.cost_usd", equalTo(0.0f))
                .body("result", equalTo(42));
        assertThat(modelCalls()).isEqualTo(1);
        assertThat(cacheEvents("hit")).isEqualTo(hits + 1);
    }

    @Test
    void anotherTenantIsAnotherKey() {
        stubPlan("1 + 2");
        String prompt = unique("one plus two");
        run(ACME, prompt).then().statusCode(201);
        run(GLOBEX, prompt).then().statusCode(201).body("plan_cached", equalTo(false));
        assertThat(modelCalls()).isEqualTo(2);
    }

    @Test
    void aChangedToolCatalogIsAnotherKey() {
        stubPlan("2 + 2");
        String prompt = unique("two plus two");
        run(ACME, prompt).then().statusCode(201);
        tools.register(probe("cache_probe"));
        try {
            run(ACME, prompt).then().statusCode(201).body("plan_cached", equalTo(false));
        } finally {
            tools.unregister("cache_probe");
        }
        assertThat(modelCalls()).isEqualTo(2);
    }

    @Test
    void anEntryExpires() throws Exception {
        stubPlan("3 + 3");
        String prompt = unique("three plus three");
        run(ACME, prompt).then().statusCode(201);
        Thread.sleep(TTL_MS + 500);
        run(ACME, prompt).then().statusCode(201).body("plan_cached", equalTo(false));
        assertThat(modelCalls()).isEqualTo(2);
    }

    @Test
    void aPlanThatFailedBecauseOfItselfIsDropped() {
        stubPlan("1 / 0");
        String prompt = unique("divide one by zero");
        double evictions = cacheEvents("eviction");
        run(ACME, prompt).then().statusCode(201).body("status", equalTo("failed"));
        run(ACME, prompt).then().statusCode(201).body("plan_cached", equalTo(false)).body("status", equalTo("failed"));
        assertThat(modelCalls()).isEqualTo(2);
        assertThat(cacheEvents("eviction")).isGreaterThanOrEqualTo(evictions + 1);
    }

    @Test
    void aHitIsValidatedAgainstTodaysToolsFirst() {
        tools.register(probe("cache_tmp"));
        mock.stubFor(chatCompletions().willReturn(answer("""
                {"steps": [{"step_number": 1, "tool_name": "cache_tmp", "tool_input": {}, "reasoning": "probe"}]}""",
                100, 10)));
        String prompt = unique("probe the cache");
        try {
            run(ACME, prompt).then().statusCode(201).body("status", equalTo("completed"));
        } finally {
            tools.unregister("cache_tmp");
        }
        // The cached plan names a tool that is gone: it is dropped and the model is asked (its plan is now refused).
        run(ACME, prompt).then().statusCode(422);
        assertThat(modelCalls()).isEqualTo(2);
    }

    private void stubPlan(String expression) {
        mock.stubFor(chatCompletions().willReturn(answer("""
                {"steps": [{"step_number": 1, "tool_name": "calculator", "tool_input": {"expression": "%s"},
                            "reasoning": "compute"}]}""".formatted(expression), 100, 10)));
    }

    private static Response run(String key, String prompt) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key)
                .header("Prefer", "wait=10").body(Map.of("prompt", prompt)).post("/api/v1/runs");
    }

    private int modelCalls() {
        return mock.findAll(postRequestedFor(urlPathMatching(".*/chat/completions"))).size();
    }

    private static double cacheEvents(String event) {
        return Prometheus.value(Management.given().get("/q/metrics").asString(), "agent_planner_cache_total",
                Map.of("event", event));
    }

    /** Tests share one cache: a prompt of their own. */
    private static String unique(String prompt) {
        return prompt + " " + UUID.randomUUID();
    }

    private static Tool probe(String name) {
        try {
            return TestTools.echoing(new ToolSpec(name, "answers its input", TestJson.mapper().readTree(
                    "{\"type\": \"object\", \"properties\": {}, \"additionalProperties\": false}")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
