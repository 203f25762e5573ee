package dev.agentruntime.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.testing.AppProcess;
import dev.agentruntime.testing.McpPeers;
import dev.agentruntime.testing.TestJson;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The packaged application with real MCP server processes, as a hostile tenant would use them.
 * <ul>
 *   <li>Issue 25: a tenant read the runtime's whole environment (every tenant's API key) through server-everything's
 *       {@code get-env}. Now a stdio server sees only {@link ChildEnvironment#INHERITED} and what {@code mcp.json}
 *       passes it.</li>
 *   <li>Issue 26: a 300 MB answer was read whole (RSS 0.23 → 1.96 GB) and logged at WARN. Now over stdio, and over
 *       Streamable HTTP as a JSON body and as an event stream, it fails its step with a size error, the runtime's
 *       peak resident memory grows by far less than the answer, no payload reaches the log, and the server answers
 *       the next call.</li>
 * </ul>
 */
class McpToolBoundsIT {

    private static final String KEY = "acme-key-mcp-bounds-0123456789";
    private static final String MARKER = "marker-secret-" + System.nanoTime();
    private static final String PASSED = "token-passed-by-name-" + System.nanoTime();
    private static final Path LOG = Path.of("target", "it-mcp-bounds.log");

    private static Process hugeOverHttp;
    private static AppProcess app;

    @BeforeAll
    static void start() throws Exception {
        int port = McpPeers.freePort();
        hugeOverHttp = McpPeers.hugeAnswersOverHttp(port, "it-mcp-huge-http");
        Path config = Path.of("target", "it-mcp-bounds.json").toAbsolutePath();
        Files.writeString(config, """
                {"mcpServers": {
                  "everything": {"command": %s, "args": ["stdio"], "idempotentTools": ["get-env"],
                                 "env": {"PASSED_BY_CONFIG": "yes", "SECRET_BY_NAME": "${MCP_BOUNDS_TOKEN}"}},
                  "huge": {"command": "node", "args": [%s, "stdio"]},
                  "hugehttp": {"url": "http://127.0.0.1:%d/mcp"}
                }}
                """.formatted(TestJson.quote(McpPeers.bin("mcp-server-everything").toString()),
                TestJson.quote(McpPeers.hugeAnswerServer().toString()), port));
        app = AppProcess.start("it-mcp-bounds", Map.of("AGENT_AUTH", "api-key", "AGENT_API_KEYS", "acme=" + KEY,
                "AGENT_MCP_CONFIG", config.toString(), "MCP_BOUNDS_TOKEN", PASSED, "REDTEAM_MARKER", MARKER,
                "AGENT_MCP_RECONNECT_MIN_DELAY", "200ms", "AGENT_MCP_RECONNECT_MAX_DELAY", "2s"));
        await().atMost(Duration.ofSeconds(60)).until(() -> given().header("Authorization", "Bearer " + KEY)
                .get(app.url("/api/v1/health")).jsonPath().getList("mcp_servers.state", String.class)
                .equals(List.of("ready", "ready", "ready")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (hugeOverHttp != null) {
            McpPeers.stop(hugeOverHttp);
        }
    }

    @Test
    void aStdioServerSeesOnlyWhatAProgramNeedsAndWhatTheConfigPassedIt() throws Exception {
        JsonPath run = run("call everything__get-env with {}");
        assertThat(run.getString("status")).isEqualTo("completed");
        JsonNode environment = TestJson.mapper().readTree(run.getString("result"));

        Set<String> names = new HashSet<>();
        environment.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("PATH", "PASSED_BY_CONFIG", "SECRET_BY_NAME")
                .allMatch(name -> ChildEnvironment.INHERITED.contains(name) || name.startsWith("LC_")
                        || name.equals("PASSED_BY_CONFIG") || name.equals("SECRET_BY_NAME"), "inherited or passed");
        assertThat(environment.path("SECRET_BY_NAME").asText()).isEqualTo(PASSED);
        assertThat(environment.toString()).doesNotContain(MARKER).doesNotContain(KEY)
                .doesNotContain("AGENT_API_KEYS").doesNotContain("AGENT_MCP_CONFIG");
    }

    @Test
    void a300MegabyteAnswerFailsItsStepWhileMemoryStaysBoundedAndTheLogHoldsNoPayload() throws Exception {
        long before = app.memoryKb("VmRSS");
        for (String call : List.of("call huge__huge with {\"megabytes\": 300}",
                "call hugehttp__huge with {\"megabytes\": 300}",
                "call hugehttp__huge with {\"megabytes\": 300, \"sse\": true}")) {
            JsonPath run = run(call);
            assertThat(run.getString("status")).as(call).isEqualTo("failed");
            assertThat(run.getString("error")).as(call).contains("more than the 4194304 an MCP message may have",
                    "AGENT_MCP_MAX_MESSAGE_BYTES");
            assertThat(run.getInt("execution_log[0].attempts")).as(call).isEqualTo(1);
        }
        long peak = app.memoryKb("VmHWM");
        System.out.printf("McpToolBoundsIT: RSS before the three 300 MB answers %d MB, peak (VmHWM) %d MB%n",
                before / 1024, peak / 1024);
        assertThat(peak - before).as("peak growth in kB").isLessThan(256 * 1024);

        // The servers go on: over stdio the rest of the line was skipped, over HTTP the session stays.
        for (String server : List.of("huge", "hugehttp")) {
            given().contentType(ContentType.JSON).header("Authorization", "Bearer " + KEY).header("Prefer", "wait=30")
                    .body(Map.of("prompt", "call " + server + "__echo with {\"message\": \"still here\"}"))
                    .post(app.url("/api/v1/runs")).then().statusCode(201)
                    .body("status", equalTo("completed")).body("result", equalTo("Echo: still here"));
        }
        assertThat(Files.size(LOG)).as("log bytes").isLessThan(2L * 1024 * 1024);
        assertThat(Files.readString(LOG)).doesNotContain("x".repeat(256))
                .contains("more than AGENT_MCP_MAX_MESSAGE_BYTES");
    }

    private static JsonPath run(String prompt) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + KEY)
                .header("Prefer", "wait=30").body(Map.of("prompt", prompt)).post(app.url("/api/v1/runs")).then()
                .statusCode(201).body("run_id", containsString("-")).extract().jsonPath();
    }
}
