package dev.agentruntime.tools.mcp;

import dev.agentruntime.testing.Management;
import dev.agentruntime.testing.McpPeers;
import dev.agentruntime.testing.McpServersResource;
import dev.agentruntime.testing.Prometheus;
import dev.agentruntime.testing.TestJson;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.agentruntime.testing.McpServersResource.ACME_KEY;
import static dev.agentruntime.testing.McpServersResource.GLOBEX_KEY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * Tools of real MCP servers (server-everything and server-memory from npm, over stdio) planned and run like the
 * built-in ones: discovery, the call form, structured and text output, schema checks before anything runs, tool
 * errors, timeouts with cancellation on the server, a server killed mid-run, tenants, the output cap, audit and
 * metrics.
 */
@QuarkusTest
@WithTestResource(McpServersResource.class)
class McpToolsTest {

    @BeforeEach
    void serversAreReady() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(health()
                .getList("mcp_servers.state", String.class)).containsOnly("ready"));
    }

    @Test
    void everyOfferedToolIsListedWithItsServerAndEachServerWithItsState() {
        JsonPath health = health();
        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getList("tools.name", String.class)).contains("calculator", "everything__echo",
                "everything__get-sum", "strict__echo", "memory__read_graph", "memory__create_entities");
        assertThat(health.getString("tools.find { it.name == 'everything__echo' }.source")).isEqualTo("everything");
        assertThat(health.getString("tools.find { it.name == 'everything__echo' }.description")).isNotBlank();
        assertThat(health.getString("tools.find { it.name == 'calculator' }.source")).isEqualTo("built-in");
        // allowTools keeps the rest of a server's tools out, on every path.
        assertThat(health.getList("tools.name", String.class)).doesNotContain("memory__delete_entities",
                "strict__get-sum");
        assertThat(health.getList("mcp_servers.name", String.class)).containsExactly("everything", "strict", "memory");
        assertThat(health.getList("mcp_servers.transport", String.class)).containsOnly("stdio");
        assertThat(health.getList("mcp_servers.find { it.name == 'memory' }.tools", String.class))
                .containsExactlyInAnyOrder("memory__add_observations", "memory__create_entities",
                        "memory__read_graph", "memory__search_nodes");
        // Readiness is about what the runtime needs; optional tool servers are not part of it.
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", not(org.hamcrest.Matchers.hasItem(containsString("mcp"))));
    }

    /**
     * Issue 25: the open health page listed every tenant-restricted tool and each server's last error to anyone.
     * Now an anonymous caller sees the instance's state only, and a tenant only what it may use.
     */
    @Test
    void healthShowsToolsAndServersOnlyToTenantsThatMayUseThem() {
        String anonymous = given().get("/api/v1/health").then().statusCode(200)
                .body("status", equalTo("UP")).body("store", equalTo("memory")).body("planner", equalTo("rules"))
                .body("checks.state-store", equalTo("UP"))
                .extract().asString();
        assertThat(anonymous).doesNotContain("\"tools\"", "mcp_servers", "everything", "memory__");
        given().header("Authorization", "Bearer not-a-key-000000000").get("/api/v1/health").then().statusCode(200)
                .body("tools", org.hamcrest.Matchers.nullValue())
                .body("mcp_servers", org.hamcrest.Matchers.nullValue());

        JsonPath globex = health(GLOBEX_KEY);
        assertThat(globex.getList("tools.name", String.class)).contains("calculator", "everything__echo")
                .noneMatch(name -> name.startsWith("memory__"));
        assertThat(globex.getList("mcp_servers.name", String.class)).containsExactly("everything", "strict");
        JsonPath acme = health(ACME_KEY);
        assertThat(acme.getList("tools.name", String.class)).contains("memory__read_graph");
        assertThat(acme.getList("mcp_servers.name", String.class)).containsExactly("everything", "strict", "memory");
    }

    @Test
    void theCallFormRunsAnMcpToolAndChainsItsTextOutput() {
        run(ACME_KEY, "call everything__get-sum with {\"a\": 2, \"b\": 3} then call everything__echo with "
                + "{\"message\": \"sum: {{steps.1.output}}\"}")
                .then().statusCode(201)
                .body("status", equalTo("completed"))
                .body("execution_log[0].output", equalTo("The sum of 2 and 3 is 5."))
                .body("result", equalTo("Echo: sum: The sum of 2 and 3 is 5."));
    }

    @Test
    void structuredContentBecomesTheStepsJsonOutput() {
        run(ACME_KEY, "call everything__get-structured-content with {\"location\": \"Chicago\"}")
                .then().statusCode(201)
                .body("status", equalTo("completed"))
                .body("result.temperature", equalTo(36))
                .body("result.conditions", equalTo("Light rain / drizzle"));
    }

    @Test
    void inputThatBreaksTheServersSchemaIsRefusedBeforeAnythingRuns() {
        double before = allCalls("get-sum");
        run(ACME_KEY, "call everything__get-sum with {\"a\": \"two\", \"b\": 3}")
                .then().statusCode(422)
                .body("type", containsString("planning-failed"))
                .body("detail", containsString("everything__get-sum"))
                .body("detail", containsString("a:"));
        assertThat(allCalls("get-sum")).isEqualTo(before);
    }

    @Test
    void aToolsErrorFailsTheStepWithTheServersMessage() {
        run(ACME_KEY, "call memory__add_observations with {\"observations\": [{\"entityName\": \"nobody-here\", "
                + "\"contents\": [\"x\"]}]}")
                .then().statusCode(201)
                .body("status", equalTo("failed"))
                .body("execution_log[0].status", equalTo("failed"))
                .body("execution_log[0].attempts", equalTo(1))
                .body("error", containsString("memory__add_observations"))
                .body("error", containsString("nobody-here"));
    }

    @Test
    void aSlowCallTimesOutOnceAndIsCancelledOnTheServer() throws Exception {
        Response run = run(ACME_KEY, "call strict__trigger-long-running-operation with {\"duration\": 8, \"steps\": 8}");
        run.then().statusCode(201)
                .body("status", equalTo("failed"))
                .body("execution_log[0].attempts", equalTo(1))
                .body("error", containsString("no answer within 2000 ms"))
                .body("error", containsString("cancelled on the server"));
        // The wire: the tools/call request, then a notifications/cancelled naming its id.
        List<String> sent = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(McpServersResource.LOG)) {
            com.fasterxml.jackson.databind.JsonNode entry = TestJson.mapper().readTree(line);
            String message = entry.path("message").asText();
            if (entry.path("loggerName").asText().endsWith("traffic.strict") && message.startsWith("> {")) {
                sent.add(message.substring(2));
            }
        }
        com.fasterxml.jackson.databind.JsonNode call = TestJson.mapper().readTree(sent.stream()
                .filter(message -> message.contains("trigger-long-running-operation")).reduce((a, b) -> b)
                .orElseThrow());
        long id = call.get("id").asLong();
        assertThat(sent.stream().map(message -> {
            try {
                return TestJson.mapper().readTree(message);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).filter(message -> message.path("method").asText().equals("notifications/cancelled"))
                .map(message -> message.path("params").path("requestId").asLong()).toList()).contains(id);
    }

    @Test
    void aServerKilledMidRunIsRestartedAndTheIdempotentCallRetried() throws Exception {
        ProcessHandle before = McpPeers.process(List.of("server-everything", "stdio")).orElseThrow();
        String id = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + ACME_KEY)
                .body(Map.of("prompt", "call everything__trigger-long-running-operation with "
                        + "{\"duration\": 2, \"steps\": 2}"))
                .post("/api/v1/runs").then().statusCode(201).extract().path("run_id");
        await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(runField(id, "status")));
        Thread.sleep(500);
        before.destroyForcibly();

        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("completed", "failed").contains(runField(id,
                "status")));
        given().header("Authorization", "Bearer " + ACME_KEY).get("/api/v1/runs/" + id).then()
                .body("status", equalTo("completed"))
                .body("result", containsString("Long running operation completed"))
                .body("execution_log[0].attempts", org.hamcrest.Matchers.greaterThanOrEqualTo(2));
        ProcessHandle after = McpPeers.process(List.of("server-everything", "stdio")).orElseThrow();
        assertThat(after.pid()).isNotEqualTo(before.pid());
        assertThat(calls("everything", "trigger-long-running-operation", "connection_lost")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aToolListChangeIsFollowed() {
        // server-everything adds get-roots-list once it knows the client has roots, and announces it with
        // notifications/tools/list_changed: the runtime lists again and offers the tool.
        assertThat(health().getList("mcp_servers.find { it.name == 'strict' }.tools", String.class))
                .contains("strict__get-roots-list");
        String metrics = Management.given().get("/q/metrics").asString();
        assertThat(Prometheus.value(metrics, "agent_mcp_tool_listings_total", Map.of("server", "strict")))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aServersToolsAreOnlyForTheTenantsItAllowsOnEveryPath() {
        String prompt = "call memory__create_entities with {\"entities\": [{\"name\": \"Ada\", \"entityType\": "
                + "\"person\", \"observations\": [\"wrote the first program\"]}]}";
        run(GLOBEX_KEY, prompt).then().statusCode(422)
                .body("detail", containsString("unknown tool 'memory__create_entities'"))
                .body("detail", not(containsString("memory__read_graph")))
                .body("detail", containsString("everything__echo"));
        run(ACME_KEY, prompt).then().statusCode(201).body("status", equalTo("completed"));
        run(ACME_KEY, "call memory__search_nodes with {\"query\": \"Ada\"}").then().statusCode(201)
                .body("status", equalTo("completed"))
                .body("result.entities[0].observations[0]", equalTo("wrote the first program"));
    }

    @Test
    void anOutputOverTheCapFailsTheStepSayingSo() {
        run(ACME_KEY, "call everything__get-env with {}").then().statusCode(201)
                .body("status", equalTo("failed"))
                .body("error", containsString("more than " + McpServersResource.OUTPUT_CAP + " bytes"));
    }

    @Test
    void everyCallIsAuditedWithTenantAndToolButNeverItsArgumentsAndMeasured() throws Exception {
        String secret = "argument-that-must-not-be-logged-" + System.nanoTime();
        run(ACME_KEY, "call everything__echo with {\"message\": \"" + secret + "\"}").then().statusCode(201)
                .body("status", equalTo("completed"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Files.readString(
                McpServersResource.LOG).lines().filter(line -> line.contains("audit call_tool"))
                .filter(line -> line.contains("tool=everything__echo")).filter(line -> line.contains("tenant=acme"))
                .toList()).isNotEmpty());
        assertThat(Files.readString(McpServersResource.LOG).lines().filter(line -> line.contains("audit"))
                .filter(line -> line.contains(secret)).toList()).isEmpty();
        assertThat(calls("everything", "echo", "ok")).isGreaterThanOrEqualTo(1);
    }

    private static Response run(String key, String prompt) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key)
                .header("Prefer", "wait=30").body(Map.of("prompt", prompt)).post("/api/v1/runs");
    }

    private static String runField(String id, String field) {
        return given().header("Authorization", "Bearer " + ACME_KEY).get("/api/v1/runs/" + id).then()
                .extract().path(field);
    }

    private static JsonPath health() {
        return health(ACME_KEY);
    }

    private static JsonPath health(String key) {
        return given().header("Authorization", "Bearer " + key).get("/api/v1/health").then().statusCode(200)
                .extract().jsonPath();
    }

    private static double calls(String server, String tool, String outcome) {
        String metrics = Management.given().get("/q/metrics").asString();
        return Prometheus.value(metrics, "agent_mcp_calls_seconds_count", Map.of("server", server, "tool", tool,
                "outcome", outcome));
    }

    /** Calls of the tool on any server, whatever their outcome. */
    private static double allCalls(String tool) {
        return Prometheus.value(Management.given().get("/q/metrics").asString(), "agent_mcp_calls_seconds_count",
                Map.of("tool", tool));
    }
}
