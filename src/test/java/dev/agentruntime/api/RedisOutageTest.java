package dev.agentruntime.api;

import dev.agentruntime.testing.Management;
import dev.agentruntime.testing.Prometheus;
import dev.agentruntime.testing.RedisProcess;
import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Redis stops mid-test: clear 503s, readiness still UP and the wellness check DOWN, nothing half-written, and
 * recovery once it is back.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class RedisOutageTest {

    RedisProcess redis;

    @Test
    void answers503WhileRedisIsDownAndRecovers() throws Exception {
        String before = RunApiContract.waitFor("calculate 1 + 2").path("run_id");
        List<String> stored = RunApiContract.listIds(100);

        redis.stop();
        try {
            for (var response : List.of(RunApiContract.post("{\"prompt\": \"calculate 2 + 2\"}"),
                    given().get("/api/v1/runs/" + before), given().get("/api/v1/runs"))) {
                RunApiContract.expectProblem(response, 503, "state store is unavailable");
                response.then().header("Retry-After", notNullValue());
            }
            // Issue 27 (ADR 0026): this instance reached Redis before, so it stays ready and answers 503 +
            // Retry-After (as above) instead of leaving the Service; what says Redis is lost is the wellness check,
            // /api/v1/health and agent_state_store_up. Until issue 27 readiness was DOWN here.
            Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            Management.given().get("/q/health/well").then().statusCode(503)
                    .body("checks.find { it.name == 'state-store' }.status", equalTo("DOWN"));
            given().get("/api/v1/health").then().statusCode(503).body("checks.state-store", equalTo("DOWN"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Prometheus.value(
                    Management.given().get("/q/metrics").asString(), "agent_state_store_up", Map.of())).isZero());
            Management.given().get("/q/health/live").then().statusCode(200);
            // Bad input is still told apart from an outage.
            RunApiContract.expectProblem(RunApiContract.post("{\"prompt\": 1}"), 422, "must be a string");
        } finally {
            redis.start();
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                Management.given().get("/q/health/well").then().statusCode(200));
        given().get("/api/v1/runs/" + before).then().statusCode(200).body("status", equalTo("completed"));
        // The refused run was not stored, not even in part.
        assertThat(RunApiContract.listIds(100)).isEqualTo(stored);
        RunApiContract.waitFor("calculate 2 + 2").then().body("status", equalTo("completed")).body("result", equalTo(4));
    }
}
