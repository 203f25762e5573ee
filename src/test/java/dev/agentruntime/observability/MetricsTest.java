package dev.agentruntime.observability;

import dev.agentruntime.testing.Management;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.execution.RunExecutor;
import dev.agentruntime.run.Plan;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.PlanningOutcome;
import dev.agentruntime.run.Run;
import dev.agentruntime.store.RunStore;
import dev.agentruntime.testing.Prometheus;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** After runs whose outcome is known, /q/metrics shows exactly what they did. */
@QuarkusTest
class MetricsTest {

    @Inject
    RunExecutor executor;
    @Inject
    RunStore store;
    @Inject
    ObjectMapper mapper;

    @Test
    void runsStepsRetriesAndTimeoutsAreCounted() {
        String before = scrape();

        waitFor("calculate 1 + 2");
        waitFor("calculate 3 * 4 and then add todo to count metrics");
        waitFor("calculate 1 / 0");
        var slow = mapper.createObjectNode().put("key", UUID.randomUUID().toString()).put("millis", 5_000);
        Run timedOut = Run.planned(UUID.randomUUID(), Run.DEFAULT_TENANT, "metrics", PlanningOutcome.byRules(
                new Plan(List.of(new PlanStep(1, "test_slow", slow, "slow", null))), null), Instant.now());
        store.save(timedOut).await().atMost(Duration.ofSeconds(5));
        executor.execute(timedOut).await().atMost(Duration.ofSeconds(30));

        String after = scrape();
        assertThat(delta(before, after, "agent_runs_total", Map.of("status", "completed"))).isEqualTo(2);
        assertThat(delta(before, after, "agent_runs_total", Map.of("status", "failed"))).isEqualTo(2);
        assertThat(delta(before, after, "agent_step_duration_seconds_count",
                Map.of("tool", "calculator", "outcome", "completed"))).isEqualTo(2);
        assertThat(delta(before, after, "agent_step_duration_seconds_count",
                Map.of("tool", "calculator", "outcome", "failed"))).isEqualTo(1);
        assertThat(delta(before, after, "agent_step_duration_seconds_count",
                Map.of("tool", "todo_store", "outcome", "completed"))).isEqualTo(1);
        // Three attempts, each cut by the timeout: two retried, all three timed out.
        assertThat(delta(before, after, "agent_step_retries_total", Map.of("tool", "test_slow"))).isEqualTo(2);
        assertThat(delta(before, after, "agent_step_timeouts_total", Map.of("tool", "test_slow"))).isEqualTo(3);
        assertThat(delta(before, after, "agent_run_duration_seconds_count", Map.of("status", "completed")))
                .isEqualTo(2);
        assertThat(delta(before, after, "agent_planner_calls_total", Map.of("planner", "rules", "outcome", "planned")))
                .isEqualTo(3);
        assertThat(after).contains("agent_runs_in_flight", "agent_queue_depth", "agent_step_duration_seconds_bucket");
    }

    private static double delta(String before, String after, String name, Map<String, String> labels) {
        return Prometheus.value(after, name, labels) - Prometheus.value(before, name, labels);
    }

    private static String scrape() {
        return Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static void waitFor(String prompt) {
        given().contentType(ContentType.JSON).header("Prefer", "wait=10").body(Map.of("prompt", prompt))
                .post("/api/v1/runs").then().statusCode(201);
    }
}
