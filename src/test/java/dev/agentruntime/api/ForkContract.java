package dev.agentruntime.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentruntime.run.Approval;
import dev.agentruntime.run.Plan;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.PlanningOutcome;
import dev.agentruntime.run.Run;
import dev.agentruntime.store.RunStore;
import dev.agentruntime.testing.OpenApiResponses;
import dev.agentruntime.testing.SseClient;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Issue 30: forking an ended run from a step, on each state store (the subclasses). The steps before the fork's step
 * that completed are reused, never run again; the rest run anew; the source never changes. Every answer is checked
 * against the OpenAPI document.
 */
abstract class ForkContract {

    /** A todo, then a division by zero: the todo is written, the run fails at step 2. */
    private static String todoThenFailure(String text) {
        return "add todo to " + text + "; call calculator with {\"expression\": \"1 / 0\"}";
    }

    @Inject
    RunStore store;

    @BeforeEach
    void checkEveryAnswerAgainstTheOpenApiDocument() {
        RestAssured.replaceFiltersWith(OpenApiResponses.of(dev.agentruntime.testing.Management.given()));
    }

    @AfterEach
    void stopChecking() {
        RestAssured.replaceFiltersWith(List.of());
    }

    @Test
    void aForkOfAFailedRunRetriesFromTheFailureAndTheTodoBeforeItIsWrittenOnce() {
        String text = "fork-" + UUID.randomUUID();
        Response source = waitFor(todoThenFailure(text));
        source.then().body("status", equalTo("failed")).body("execution_log[0].status", equalTo("completed"))
                .body("execution_log[1].status", equalTo("failed"));
        String sourceId = source.path("run_id");
        String sourceBefore = get(sourceId).asString();
        assertThat(todosWithText(text)).isEqualTo(1);

        Response created = fork(sourceId, "{}", null);
        created.then().statusCode(201)
                .header("Location", endsWith("/api/v1/runs/" + created.path("run_id")))
                .body("forked_from.run_id", equalTo(sourceId))
                .body("forked_from.step_number", equalTo(2))
                .body("forked_from.reason", nullValue())
                .body("prompt", equalTo(source.path("prompt")))
                .body("execution_log[0].reused", equalTo(true))
                .body("execution_log[0].status", equalTo("completed"))
                .body("execution_log[1].reused", equalTo(false))
                .body("execution_log[1].status", equalTo("pending"));
        String forkId = created.path("run_id");
        assertThat(forkId).isNotEqualTo(sourceId);
        JsonPath ended = awaitEnd(forkId);

        // Step 1 kept the source's record (its output and timings) and was not called again: still one todo.
        assertThat(ended.getString("status")).isEqualTo("failed");
        assertThat(ended.getMap("execution_log[0]")).isEqualTo(withReused(JsonPath.from(sourceBefore)
                .getMap("execution_log[0]")));
        assertThat(ended.getString("execution_log[1].status")).isEqualTo("failed");
        assertThat(Instant.parse(ended.getString("execution_log[1].started_at")))
                .isAfter(Instant.parse(JsonPath.from(sourceBefore).getString("completed_at")));
        assertThat(todosWithText(text)).isEqualTo(1);

        // The fork's journal says it is a fork and shows the reuse; step 1 never started in it.
        List<SseClient.Event> events = SseClient.read(url("/api/v1/runs/" + forkId + "/events"), null,
                Duration.ofSeconds(10)).events();
        assertThat(events.stream().map(SseClient.Event::name).toList()).startsWith("run_forked", "step_completed",
                "run_started", "step_started").endsWith("run_failed");
        assertThat(JsonPath.from(events.get(0).data()).getList("reused_steps")).containsExactly(1);
        assertThat(JsonPath.from(events.get(0).data()).getString("forked_from.run_id")).isEqualTo(sourceId);
        assertThat(JsonPath.from(events.get(1).data()).getBoolean("reused")).isTrue();
        assertThat(events.stream().filter(e -> e.name().equals("step_started"))
                .map(e -> JsonPath.from(e.data()).getInt("step_number")).toList()).containsExactly(2);

        // The source never changes.
        assertThat(get(sourceId).asString()).isEqualTo(sourceBefore);
    }

    @Test
    void aForkWithAnotherInputRunsThatInputAndItsReferencesReadTheReusedOutputs() {
        String text = "fork-input-" + UUID.randomUUID();
        String sourceId = waitFor(todoThenFailure(text)).path("run_id");

        Response created = fork(sourceId, "{\"from_step\": 2, \"tool_input\": {\"expression\": \"6 * 7\"}, "
                + "\"reason\": \"  no division  \"}", null);
        created.then().statusCode(201).body("forked_from.reason", equalTo("no division"))
                .body("plan.steps[1].tool_input.expression", equalTo("6 * 7"))
                .body("execution_log[1].tool_input.expression", equalTo("6 * 7"));
        JsonPath ended = awaitEnd(created.path("run_id"));
        assertThat(ended.getString("status")).isEqualTo("completed");
        assertThat(ended.getInt("result")).isEqualTo(42);
        assertThat(todosWithText(text)).isEqualTo(1);
    }

    @Test
    void aReplacedInputReadsAReusedOutputThroughItsReference() {
        String sourceId = waitFor("calculate 6 * 7; call calculator with {\"expression\": \"1 / 0\"}")
                .path("run_id");
        Response created = fork(sourceId, "{\"tool_input\": {\"expression\": \"{{steps.1.output}} + 1\"}}", null);
        created.then().statusCode(201).body("forked_from.step_number", equalTo(2));
        JsonPath ended = awaitEnd(created.path("run_id"));
        assertThat(ended.getString("status")).isEqualTo("completed");
        assertThat(ended.getInt("result")).isEqualTo(43);
        assertThat(ended.getString("execution_log[1].tool_input.expression")).isEqualTo("42 + 1");
    }

    @Test
    void aForkThatCouldNotRunIsRefusedWith422AndNothingIsCreated() {
        String sourceId = waitFor(todoThenFailure("fork-bad-" + UUID.randomUUID())).path("run_id");
        String completedId = waitFor("calculate 1 + 1").path("run_id");

        expectProblem(fork(sourceId, "{\"from_step\": 2, \"tool_input\": {\"formula\": \"1\"}}", null), 422,
                "tool_input: invalid input for tool 'calculator'");
        expectProblem(fork(sourceId, "{\"from_step\": 3}", null), 422, "has 2 steps, not 3");
        expectProblem(fork(sourceId, "{\"from_step\": 0}", null), 422, "from_step: must be 1 or more");
        expectProblem(fork(sourceId, "{\"from_step\": 1.5}", null), 422, "from_step: must be a whole number");
        expectProblem(fork(sourceId, "{\"tool_input\": [1]}", null), 422, "tool_input: must be a JSON object");
        expectProblem(fork(sourceId, "{\"from_step\": 2, \"tool_input\": {\"expression\": "
                + "\"{{steps.2.output}}\"}}", null), 422, "must refer to a step before step 2");
        expectProblem(fork(sourceId, "{\"reason\": \"" + "r".repeat(1001) + "\"}", null), 422, "reason:");
        expectProblem(fork(completedId, "{}", null), 422, "no failed, skipped or interrupted step");
        // A new user's walk: a misspelt field was dropped, and the fork made from the default step.
        expectProblem(fork(completedId, "{\"from_stp\": 1}", null), 422, "unknown field(s) from_stp: send from_step, "
                + "tool_input and reason, each optional");
        expectProblem(fork(completedId, "{\"Idempotency-Key\": \"k\"}", null), 422, "unknown field(s) "
                + "Idempotency-Key: send from_step, tool_input and reason, each optional (an idempotency key goes in "
                + "the Idempotency-Key header)");
        expectProblem(fork(sourceId, "{not json", null), 400, "not valid JSON");

        forks(sourceId).then().statusCode(200).body("size()", equalTo(0));
        forks(completedId).then().statusCode(200).body("size()", equalTo(0));
        // A completed run forks with a step named: it runs that step again.
        fork(completedId, "{\"from_step\": 1}", null).then().statusCode(201);
    }

    @Test
    void aParallelBranchIsReusedAndTheBranchThatNeedsTheFailedStepRunsAgain() {
        // 1 and 2 run side by side (calculations depend on nothing); 3 reads 2's result.
        Response source = waitFor("calculate 6 * 7 and calculate 1 / 0 and multiply the result by 3");
        source.then().body("status", equalTo("failed"))
                .body("plan.steps[0].depends_on.size()", equalTo(0))
                .body("plan.steps[1].depends_on.size()", equalTo(0))
                .body("plan.steps[2].depends_on", equalTo(List.of(2)))
                .body("execution_log[0].status", equalTo("completed"))
                .body("execution_log[1].status", equalTo("failed"))
                .body("execution_log[2].status", equalTo("skipped"));
        String sourceId = source.path("run_id");

        Response created = fork(sourceId, "{\"tool_input\": {\"expression\": \"10 / 2\"}}", null);
        JsonPath ended = awaitEnd(created.path("run_id"));
        assertThat(ended.getString("status")).isEqualTo("completed");
        assertThat(ended.getBoolean("execution_log[0].reused")).isTrue();
        assertThat(ended.getString("execution_log[0].started_at"))
                .isEqualTo(source.path("execution_log[0].started_at"));
        assertThat(ended.getBoolean("execution_log[1].reused")).isFalse();
        assertThat(ended.getBoolean("execution_log[2].reused")).isFalse();
        assertThat(ended.getString("execution_log[2].status")).isEqualTo("completed");
        assertThat(ended.getInt("result")).isEqualTo(15);
    }

    @Test
    void onlyAnEndedRunCanBeForked() throws Exception {
        // Stored, never queued: they stay as they are while the test forks them.
        Run pending = Run.planned(UUID.randomUUID(), Run.DEFAULT_TENANT, "calculate 1 + 1",
                PlanningOutcome.byRules(onePlan(), null), Instant.now());
        store.save(pending).await().indefinitely();
        Instant now = Instant.now();
        Run awaiting = pending.started(now).awaitingApproval(Approval.requested(1, "calculator",
                pending.plan().steps().get(0).toolInput(), "0".repeat(64), now, now.plus(Duration.ofHours(1))));
        awaiting = new Run(UUID.randomUUID(), awaiting.prompt(), awaiting.status(), awaiting.planner(), null,
                awaiting.plan(), awaiting.executionLog(), null, null, null, awaiting.createdAt(),
                awaiting.startedAt(), null, awaiting.tenant(), false, null, awaiting.approval(), null);
        store.save(awaiting).await().indefinitely();

        expectProblem(fork(pending.runId().toString(), "{}", null), 409, "is pending")
                .body("run.run_id", equalTo(pending.runId().toString()));
        expectProblem(fork(awaiting.runId().toString(), "{\"from_step\": 1}", null), 409, "is awaiting_approval")
                .body("run.status", equalTo("awaiting_approval"));

        String running = given().contentType(ContentType.JSON).body(Map.of("prompt", "wait 3 seconds"))
                .post("/api/v1/runs").then().statusCode(201).extract().path("run_id");
        await().atMost(Duration.ofSeconds(10)).until(() -> get(running).path("status").equals("running"));
        expectProblem(fork(running, "{\"from_step\": 1}", null), 409, "is running")
                .body("run.status", equalTo("running"));
        forks(running).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void anotherTenantsRunOrAnUnknownOneIsNotFound() {
        Run others = Run.planned(UUID.randomUUID(), "another-tenant", "calculate 1 / 0",
                PlanningOutcome.byRules(onePlan(), null), Instant.now()).started(Instant.now());
        others = others.failed("step 1 (calculator) failed", Instant.now());
        store.save(others).await().indefinitely();

        expectProblem(fork(others.runId().toString(), "{}", null), 404, others.runId().toString());
        expectProblem(forks(others.runId().toString()), 404, others.runId().toString());
        expectProblem(fork(UUID.randomUUID().toString(), "{}", null), 404, "");
        expectProblem(fork("not-a-run", "{}", null), 404, "not-a-run");
    }

    @Test
    void anIdempotencyKeyReturnsTheForkItCreatedCountedAndAuditedOnce() {
        String sourceId = waitFor(todoThenFailure("fork-idem-" + UUID.randomUUID())).path("run_id");
        String key = "fork-" + UUID.randomUUID();
        List<String> audit = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                audit.add(String.format(record.getMessage(), record.getParameters() == null ? new Object[0]
                        : record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("audit").addHandler(capture);
        double forkedBefore = forkedTotal();
        Response first;
        try {
            first = fork(sourceId, "{\"reason\": \"once\"}", key);
            first.then().statusCode(201);
            Response again = fork(sourceId, "{\"reason\": \"once\"}", key);
            again.then().statusCode(200).body("run_id", equalTo(first.path("run_id")));
            expectProblem(fork(sourceId, "{\"reason\": \"twice\"}", key), 422, "different body");
        } finally {
            java.util.logging.Logger.getLogger("audit").removeHandler(capture);
        }
        assertThat(forkedTotal() - forkedBefore).as("agent_runs_forked_total").isEqualTo(1.0);
        String forkId = first.path("run_id");
        assertThat(audit).anyMatch(line -> line.startsWith("audit fork created") && line.contains("run=" + forkId)
                && line.contains("forked_from=" + sourceId));
        assertThat(audit).anyMatch(line -> line.startsWith("audit fork replayed") && line.contains("run=" + forkId));
        assertThat(audit).anyMatch(line -> line.startsWith("audit fork refused:invalid_request")
                && line.contains("run=" + sourceId));
        // The key is the tenant's, whatever it created: a run's prompt under it is another body.
        expectProblem(given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"prompt\": \"calculate 1\"}").post("/api/v1/runs"), 422, "different body");
        forks(sourceId).then().statusCode(200).body("run_id", equalTo(List.of(first.path("run_id").toString())));
    }

    @Test
    void aForkCanBeForkedAndEachRunListsItsOwnForksNewestFirst() {
        String text = "fork-chain-" + UUID.randomUUID();
        String sourceId = waitFor(todoThenFailure(text)).path("run_id");
        String first = fork(sourceId, "{}", null).then().statusCode(201).extract().path("run_id");
        awaitEnd(first);
        String second = fork(sourceId, "{\"from_step\": 2, \"tool_input\": {\"expression\": \"2 + 2\"}}", null)
                .then().statusCode(201).extract().path("run_id");
        awaitEnd(second);

        // A fork of the fork: its reused step is still the source's step 1, reused again.
        Response grandchild = fork(first, "{\"from_step\": 2, \"tool_input\": {\"expression\": \"3 + 3\"}}", null);
        grandchild.then().statusCode(201).body("forked_from.run_id", equalTo(first))
                .body("execution_log[0].reused", equalTo(true));
        JsonPath ended = awaitEnd(grandchild.path("run_id"));
        assertThat(ended.getString("status")).isEqualTo("completed");
        assertThat(ended.getInt("result")).isEqualTo(6);
        assertThat(todosWithText(text)).isEqualTo(1);

        forks(sourceId).then().statusCode(200).body("run_id", equalTo(List.of(second, first)));
        given().get("/api/v1/runs/" + sourceId + "/forks?limit=1&offset=1").then().statusCode(200)
                .body("run_id", equalTo(List.of(first)));
        forks(first).then().statusCode(200).body("run_id", equalTo(List.of(grandchild.path("run_id").toString())));
        expectProblem(given().get("/api/v1/runs/" + sourceId + "/forks?limit=101"), 400, "limit");
    }

    private static double forkedTotal() {
        return dev.agentruntime.testing.Prometheus.value(dev.agentruntime.testing.Management.given()
                .get("/q/metrics").asString(), "agent_runs_forked_total", Map.of("planner", "rules"));
    }

    private static Plan onePlan() {
        return new Plan(List.of(new PlanStep(1, "calculator", JsonNodeFactory.instance.objectNode()
                .put("expression", "1 + 1"), "adds", List.of())));
    }

    private static Map<String, Object> withReused(Map<String, Object> step) {
        Map<String, Object> reused = new java.util.LinkedHashMap<>(step);
        reused.put("reused", true);
        return reused;
    }

    static Response fork(String runId, String body, String idempotencyKey) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/v1/runs/" + runId + "/fork");
    }

    static Response forks(String runId) {
        return given().get("/api/v1/runs/" + runId + "/forks");
    }

    static Response get(String runId) {
        return given().get("/api/v1/runs/" + runId);
    }

    static JsonPath awaitEnd(String runId) {
        await().atMost(Duration.ofSeconds(15)).until(() -> List.of("completed", "failed", "cancelled", "rejected")
                .contains(get(runId).<String>path("status")));
        return get(runId).then().statusCode(200).extract().jsonPath();
    }

    static Response waitFor(String prompt) {
        Response response = given().contentType(ContentType.JSON).header("Prefer", "wait=10")
                .body(Map.of("prompt", prompt)).post("/api/v1/runs");
        response.then().statusCode(201);
        return response;
    }

    /** How many of the tenant's todos have exactly this text, over every page. */
    static int todosWithText(String text) {
        int count = 0;
        for (int offset = 0; ; offset += 100) {
            JsonPath page = given().get("/api/v1/todos?limit=100&offset=" + offset).then().statusCode(200)
                    .extract().jsonPath();
            List<String> texts = page.getList("todos.text");
            count += (int) texts.stream().filter(text::equals).count();
            if (texts.size() < 100) {
                return count;
            }
        }
    }

    static String url(String path) {
        return RestAssured.baseURI + ":" + RestAssured.port + path;
    }

    static io.restassured.response.ValidatableResponse expectProblem(Response response, int status, String detail) {
        return RunApiContract.expectProblem(response, status, detail);
    }
}
