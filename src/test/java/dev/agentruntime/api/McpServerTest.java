package dev.agentruntime.api;

import dev.agentruntime.testing.ApprovalsWithKeys;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The runtime as an MCP server, driven by the official MCP Java SDK's client over Streamable HTTP: the tools, a run
 * with progress notifications, errors as tool errors with the HTTP API's detail, approvals, and tenants.
 */
@QuarkusTest
@TestProfile(ApprovalsWithKeys.class)
class McpServerTest {

    static final String ACME = ApprovalsWithKeys.ACME;
    static final String GLOBEX = ApprovalsWithKeys.GLOBEX;

    @Test
    void everyToolIsListed() {
        try (McpSyncClient client = client(ACME, List.of())) {
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).containsExactlyInAnyOrder(
                    "run_prompt", "get_run", "list_runs", "cancel_run", "list_todos", "approve_step", "reject_step",
                    "fork_run");
            McpSchema.Tool runPrompt = client.listTools().tools().stream()
                    .filter(tool -> tool.name().equals("run_prompt")).findFirst().orElseThrow();
            Map<String, Object> schema = runPrompt.inputSchema();
            assertThat(String.valueOf(schema.get("required"))).isEqualTo("[prompt]");
            assertThat(((Map<?, ?>) schema.get("properties")).keySet()).extracting(String::valueOf)
                    .contains("prompt", "idempotency_key", "wait_seconds");
            Map<String, Object> fork = client.listTools().tools().stream()
                    .filter(tool -> tool.name().equals("fork_run")).findFirst().orElseThrow().inputSchema();
            assertThat(String.valueOf(fork.get("required"))).isEqualTo("[run_id]");
            Map<?, ?> forkArguments = (Map<?, ?>) fork.get("properties");
            assertThat(forkArguments.keySet()).extracting(String::valueOf).containsExactlyInAnyOrder("run_id",
                    "from_step", "tool_input", "reason", "idempotency_key");
            assertThat(forkArguments.get("tool_input")).asString().contains("type=object");
            assertThat(forkArguments.get("from_step")).asString().contains("type=integer");
        }
    }

    /**
     * Issue 30: fork_run goes through the same use case as POST …/fork: a failed run forked from its failure with
     * another input reuses the first step and completes; what the HTTP API refuses is a tool error with its detail.
     */
    @Test
    void forkRunForksAnEndedRunAndRefusesWhatTheHttpApiRefuses() {
        try (McpSyncClient acme = client(ACME, List.of()); McpSyncClient globex = client(GLOBEX, List.of())) {
            Map<String, Object> failed = structured(call(acme, "run_prompt", Map.of("prompt",
                    "calculate 6 * 7 and then calculate 1 / 0", "wait_seconds", 10)));
            assertThat(failed).containsEntry("status", "failed");
            String source = (String) failed.get("run_id");

            McpSchema.CallToolResult forked = call(acme, "fork_run", Map.of("run_id", source, "from_step", 2,
                    "tool_input", Map.of("expression", "{{steps.1.output}} + 1"), "reason", "via mcp"));
            Map<String, Object> fork = structured(forked);
            String forkId = (String) fork.get("run_id");
            assertThat(forkId).isNotEqualTo(source);
            assertThat(fork.get("forked_from")).isEqualTo(Map.of("run_id", source, "step_number", 2,
                    "reason", "via mcp"));
            assertThat(text(forked)).startsWith("run " + forkId + " is ");
            assertThat(step(fork, 0)).containsEntry("reused", true).containsEntry("status", "completed")
                    .containsEntry("output", 42);
            Map<String, Object> done = await().atMost(Duration.ofSeconds(10)).until(() -> structured(call(acme,
                    "get_run", Map.of("run_id", forkId))), run -> "completed".equals(run.get("status")));
            assertThat(done).containsEntry("result", 43);
            // The source is unchanged, and lists its fork over HTTP.
            assertThat(structured(call(acme, "get_run", Map.of("run_id", source)))).containsEntry("status", "failed");
            given().header("Authorization", "Bearer " + ACME).get("/api/v1/runs/" + source + "/forks").then()
                    .statusCode(200).body("run_id", org.hamcrest.Matchers.contains(forkId));

            McpSchema.CallToolResult badStep = call(acme, "fork_run", Map.of("run_id", source, "from_step", 9));
            assertThat(badStep.isError()).isTrue();
            assertThat(text(badStep)).contains("from_step");
            assertThat(badStep.structuredContent()).asString().contains("status=422");
            McpSchema.CallToolResult refusedInput = call(acme, "fork_run", Map.of("run_id", source, "from_step", 2,
                    "tool_input", Map.of("formula", "1 + 1")));
            assertThat(refusedInput.isError()).isTrue();
            assertThat(refusedInput.structuredContent()).asString().contains("status=422");
            McpSchema.CallToolResult foreign = call(globex, "fork_run", Map.of("run_id", source));
            assertThat(foreign.isError()).isTrue();
            assertThat(text(foreign)).contains("not found").doesNotContain("Exception");
            String running = (String) structured(call(acme, "run_prompt", Map.of("prompt", "wait 30 seconds")))
                    .get("run_id");
            McpSchema.CallToolResult notEnded = call(acme, "fork_run", Map.of("run_id", running, "from_step", 1));
            assertThat(notEnded.isError()).isTrue();
            assertThat(notEnded.structuredContent()).asString().contains("status=409");
            structured(call(acme, "cancel_run", Map.of("run_id", running)));
            given().header("Authorization", "Bearer " + ACME).get("/api/v1/runs/" + source + "/forks").then()
                    .statusCode(200).body("run_id", org.hamcrest.Matchers.contains(forkId));
        }
    }

    @Test
    void aRunWithProgressNotificationsAndTheSameJsonAsTheHttpApi() {
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        try (McpSyncClient client = client(ACME, progress)) {
            McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder("run_prompt")
                    .arguments(Map.of("prompt", "calculate 100 / 4 and then calculate 3 * 3", "wait_seconds", 10))
                    .progressToken("p-1").build());
            assertThat(result.isError()).isFalse();
            @SuppressWarnings("unchecked")
            Map<String, Object> run = (Map<String, Object>) result.structuredContent();
            assertThat(run).containsEntry("status", "completed").containsEntry("result", 9).containsEntry("tenant",
                    "acme");
            assertThat(((McpSchema.TextContent) result.content().get(0)).text()).contains("is completed", "2/2 steps");
            await().atMost(Duration.ofSeconds(5)).until(() -> progress.size() >= 2);
            assertThat(progress).extracting(McpSchema.ProgressNotification::progressToken).containsOnly("p-1");
            assertThat(progress).extracting(McpSchema.ProgressNotification::total).containsOnly(2.0);
            // One per finished step. The server sends them in increasing order, but the SDK's sync client hands each
            // notification to the consumer on a thread of its own (Reactor's boundedElastic), so their arrival here
            // may be reordered: the order is not observable through this client.
            assertThat(progress).extracting(McpSchema.ProgressNotification::progress)
                    .containsExactlyInAnyOrder(1.0, 2.0);
            // The same run over HTTP.
            given().header("Authorization", "Bearer " + ACME).get("/api/v1/runs/" + run.get("run_id")).then()
                    .statusCode(200).body("result", org.hamcrest.Matchers.equalTo(9));
        }
    }

    /**
     * Issue 26, item 4: get_run of a running run shows the step under way as running, with its start and its
     * attempt, as GET does (it read pending with no start, though the stream had sent step_started).
     */
    @Test
    void getRunShowsTheStepUnderWayRunningWithItsStart() {
        try (McpSyncClient client = client(ACME, List.of())) {
            String id = (String) structured(call(client, "run_prompt", Map.of("prompt",
                    "wait 2 seconds then calculate 1 + 1"))).get("run_id");
            Map<String, Object> running = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> structured(call(client, "get_run", Map.of("run_id", id))),
                            run -> "running".equals(step(run, 0).get("status")));
            assertThat(running).containsEntry("status", "running");
            assertThat(step(running, 0).get("started_at")).isNotNull();
            assertThat(step(running, 0)).containsEntry("attempts", 1);
            assertThat(step(running, 0).get("finished_at")).isNull();
            assertThat(step(running, 1)).containsEntry("status", "pending");
            await().atMost(Duration.ofSeconds(10)).until(() -> "completed".equals(structured(call(client, "get_run",
                    Map.of("run_id", id))).get("status")));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> step(Map<String, Object> run, int index) {
        return ((List<Map<String, Object>>) run.get("execution_log")).get(index);
    }

    @Test
    void errorsAreToolErrorsWithTheHttpApisDetail() {
        try (McpSyncClient client = client(ACME, List.of())) {
            McpSchema.CallToolResult unplannable = call(client, "run_prompt", Map.of("prompt", "sing me a song"));
            assertThat(unplannable.isError()).isTrue();
            assertThat(text(unplannable)).contains("I could not map");
            McpSchema.CallToolResult tooLong = call(client, "run_prompt", Map.of("prompt", "x".repeat(4001)));
            assertThat(text(tooLong)).isEqualTo("prompt: is 4001 characters long; at most 4000 are allowed");
            McpSchema.CallToolResult badWait = call(client, "run_prompt", Map.of("prompt", "calculate 1",
                    "wait_seconds", 99));
            assertThat(text(badWait)).contains("wait_seconds: must be an integer from 0 to 30");
            McpSchema.CallToolResult unknown = call(client, "get_run", Map.of("run_id", "no-such-run"));
            assertThat(unknown.isError()).isTrue();
            assertThat(text(unknown)).contains("no-such-run");
            assertThat(text(unknown)).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void approvalsThroughMcpAndNoTenantReachesAnothersRuns() {
        try (McpSyncClient acme = client(ACME, List.of()); McpSyncClient globex = client(GLOBEX, List.of())) {
            Map<String, Object> paused = structured(call(acme, "run_prompt", Map.of("prompt",
                    "add todo to approve through mcp", "wait_seconds", 10)));
            assertThat(paused).containsEntry("status", "awaiting_approval");
            String id = (String) paused.get("run_id");
            @SuppressWarnings("unchecked")
            String hash = (String) ((Map<String, Object>) paused.get("approval")).get("input_hash");

            for (McpSchema.CallToolResult foreign : List.of(call(globex, "get_run", Map.of("run_id", id)),
                    call(globex, "cancel_run", Map.of("run_id", id)),
                    call(globex, "approve_step", Map.of("run_id", id, "input_hash", hash)),
                    call(globex, "reject_step", Map.of("run_id", id, "input_hash", hash)))) {
                assertThat(foreign.isError()).isTrue();
                assertThat(text(foreign)).contains("not found");
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> globexRuns = (List<Map<String, Object>>) structured(call(globex, "list_runs",
                    Map.of("limit", 100))).get("runs");
            assertThat(globexRuns).extracting(run -> run.get("run_id")).doesNotContain(id);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> awaiting = (List<Map<String, Object>>) structured(call(acme, "list_runs",
                    Map.of("status", "awaiting_approval"))).get("runs");
            assertThat(awaiting).extracting(run -> run.get("run_id")).contains(id);

            McpSchema.CallToolResult wrongHash = call(acme, "approve_step", Map.of("run_id", id, "input_hash",
                    "0".repeat(64)));
            assertThat(text(wrongHash)).contains("input_hash does not match");
            assertThat(structured(call(acme, "approve_step", Map.of("run_id", id, "input_hash", hash,
                    "comment", "via mcp")))).containsEntry("status", "running");
            await().atMost(Duration.ofSeconds(10)).until(() -> "completed".equals(structured(call(acme, "get_run",
                    Map.of("run_id", id))).get("status")));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> todos = (List<Map<String, Object>>) structured(call(acme, "list_todos",
                    Map.of())).get("todos");
            assertThat(todos).extracting(todo -> todo.get("text")).contains("approve through mcp");
            assertThat(structured(call(acme, "get_run", Map.of("run_id", id)))).extractingByKey("approval")
                    .asString().contains("decided_by=acme");
        }
    }

    @Test
    void withoutCredentialsTheEndpointIs401() {
        String apiDetail = given().get("/api/v1/runs").then().statusCode(401).extract().path("detail");
        given().contentType("application/json").accept("application/json, text/event-stream")
                .body("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": {\"protocolVersion\": "
                        + "\"2025-06-18\", \"capabilities\": {}, \"clientInfo\": {\"name\": \"curl\", \"version\": \"1\"}}}")
                .post("/mcp").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                // The API's problem, not an empty body: the detail /api/v1 gives a caller without credentials.
                .contentType("application/problem+json").body("status", equalTo(401))
                .body("detail", containsString("credentials are missing")).body("detail", equalTo(apiDetail));
    }

    static McpSyncClient client(String key, List<McpSchema.ProgressNotification> progress) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder(RestAssured.baseURI + ":" + RestAssured.port).endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key)).build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30))
                .progressConsumer(progress::add).build();
        client.initialize();
        return client;
    }

    static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> structured(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as("tool error: %s", result.content()).isFalse();
        return (Map<String, Object>) result.structuredContent();
    }

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }
}
