package dev.agentruntime.tools.mcp;

import com.github.tomakehurst.wiremock.WireMockServer;
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
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * The packaged application (the jar, or the native binary with {@code -Dnative}) with MCP servers: server-memory
 * over stdio (a process the runtime starts), and over Streamable HTTP server-everything behind a gate that wants a
 * bearer token, which {@code mcp.json} takes from the environment; a server that is not there at all; and
 * server-everything restarted under the runtime, so its session is gone and a new one is made. (A bad
 * {@code mcp.json} refusing start-up is in {@code FailFastConfigurationIT}.)
 */
class McpPackagedIT {

    private static final String TOKEN = "mcp-gate-token-" + System.nanoTime();

    private static int everythingPort;
    private static Process everything;
    private static WireMockServer gate;
    private static AppProcess app;

    @BeforeAll
    static void start() throws Exception {
        everythingPort = McpPeers.freePort();
        everything = McpPeers.everythingOverHttp(everythingPort, "it-mcp-everything-http");
        // Not MCP: an auth gate in front of the real server. With the token, a request goes through; without, 401.
        gate = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        gate.start();
        gate.stubFor(any(urlPathEqualTo("/mcp")).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().proxiedFrom("http://127.0.0.1:" + everythingPort)));
        gate.stubFor(any(urlPathEqualTo("/mcp")).atPriority(2).willReturn(aResponse().withStatus(401)));
        Path config = Path.of("target", "it-mcp-remote.json");
        Files.writeString(config, """
                {"mcpServers": {
                  "remote": {"url": "%s/mcp", "headers": {"Authorization": "Bearer ${MCP_REMOTE_TOKEN}"},
                             "idempotentTools": ["*"], "timeoutMs": 10000},
                  "offline": {"type": "http", "url": "http://127.0.0.1:%d/mcp"},
                  "local": {"command": %s, "env": {"MEMORY_FILE_PATH": %s}},
                  "broken": {"command": "/nonexistent/mcp-secret-dir/server", "args": ["--token=argument-secret"]},
                  "acmeonly": {"command": "/bin/true", "tenants": ["acme"], "disabled": true}
                }}
                """.formatted(gate.baseUrl(), McpPeers.freePort(), TestJson.quote(McpPeers.bin("mcp-server-memory")
                .toString()), TestJson.quote(Path.of("target", "it-mcp-memory.jsonl").toAbsolutePath().toString())));
        Files.deleteIfExists(Path.of("target", "it-mcp-memory.jsonl"));
        app = AppProcess.start("it-mcp-remote", Map.of("AGENT_MCP_CONFIG", config.toAbsolutePath().toString(),
                "MCP_REMOTE_TOKEN", TOKEN, "AGENT_MCP_RECONNECT_MIN_DELAY", "200ms",
                "AGENT_MCP_RECONNECT_MAX_DELAY", "2s", "AGENT_EXECUTION_MAX_RETRIES", "5"));
        await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(server("remote").getString("state"))
                && "ready".equals(server("local").getString("state")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (gate != null) {
            gate.stop();
        }
        if (everything != null) {
            McpPeers.stop(everything);
        }
    }

    @Test
    void aRemoteServersToolsAreListedAndCalledWithTheHeaderFromTheEnvironment() {
        JsonPath health = health();
        assertThat(health.getList("tools.name", String.class)).contains("remote__echo", "remote__get-sum");
        assertThat(server("remote").getString("transport")).isEqualTo("http");
        call("call remote__get-sum with {\"a\": 20, \"b\": 22}", "The sum of 20 and 22 is 42.");
        // Every request that reached the server carried the token; the token itself is nowhere in the app's log.
        assertThat(gate.findAll(anyRequestedFor(urlPathEqualTo("/mcp")))).isNotEmpty()
                .allSatisfy(request -> assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN));
    }

    @Test
    void aStdioServerIsStartedByTheAppAndItsToolsRun() {
        assertThat(server("local").getString("transport")).isEqualTo("stdio");
        given().contentType(ContentType.JSON).header("Prefer", "wait=30").body(Map.of("prompt",
                        "call local__create_entities with {\"entities\": [{\"name\": \"Grace\", \"entityType\": "
                                + "\"person\", \"observations\": [\"found a moth\"]}]} then call local__read_graph with {}"))
                .post(app.url("/api/v1/runs")).then().statusCode(201)
                .body("status", org.hamcrest.Matchers.equalTo("completed"))
                .body("result.entities[0].name", org.hamcrest.Matchers.equalTo("Grace"));
    }

    @Test
    void aServerThatIsNotThereNeitherStopsStartUpNorReadiness() {
        JsonPath offline = server("offline");
        assertThat(offline.getString("state")).isIn("unavailable", "connecting");
        assertThat(offline.getList("tools")).isEmpty();
        given().get(app.url("/api/v1/health")).then().statusCode(200);
        given().get(app.managementUrl("/q/health/ready")).then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("prompt", "call offline__echo with {\"message\": \"x\"}"))
                .post(app.url("/api/v1/runs")).then().statusCode(422)
                .body("detail", containsString("unknown tool 'offline__echo'"));
    }

    /**
     * Issue 25: health (open to anyone) showed each server's last error, command path and arguments included. With
     * authentication off everyone is tenant default: it sees the servers it may use, and why one is down in words
     * that name no path; the log keeps the detail for the operator.
     */
    @Test
    void healthNamesNoCommandPathAndNoServerTheCallerMayNotUse() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> "unavailable".equals(server("broken").getString("state")));
        String health = given().get(app.url("/api/v1/health")).then().statusCode(200).extract().asString();
        assertThat(server("broken").getString("last_error")).isEqualTo("cannot start the server");
        assertThat(health).doesNotContain("/nonexistent").doesNotContain("argument-secret").doesNotContain("acmeonly")
                .doesNotContain("127.0.0.1");
        assertThat(Files.readString(Path.of("target", "it-mcp-remote.log"))).contains("/nonexistent/mcp-secret-dir");
    }

    /**
     * Issue 25: with authentication off every tool error of the runtime's own MCP server was {@code -32603 Internal
     * error} (the tool asked for the caller on the event loop). In the packaged app it is a tool error with the
     * HTTP API's detail.
     */
    @Test
    void theRuntimesMcpToolErrorsCarryTheApisDetailWithAuthenticationOff() {
        String session = mcp().body("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": "
                        + "{\"protocolVersion\": \"2025-06-18\", \"capabilities\": {}, \"clientInfo\": {\"name\": "
                        + "\"it\", \"version\": \"1\"}}}").post(app.url("/mcp")).then().statusCode(200)
                .extract().header("Mcp-Session-Id");
        mcp().header("Mcp-Session-Id", session).body("{\"jsonrpc\": \"2.0\", \"method\": "
                + "\"notifications/initialized\"}").post(app.url("/mcp")).then().statusCode(202);
        String answer = mcp().header("Mcp-Session-Id", session).body("{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": "
                        + "\"tools/call\", \"params\": {\"name\": \"get_run\", \"arguments\": {\"run_id\": "
                        + "\"no-such-run-4711\"}}}").post(app.url("/mcp")).then().statusCode(200).extract().asString();
        assertThat(answer).containsPattern("\"isError\"\\s*:\\s*true").contains("no-such-run-4711")
                .doesNotContain("-32603");
        given().header("Mcp-Session-Id", session).delete(app.url("/mcp")).then().statusCode(200);
    }

    private static io.restassured.specification.RequestSpecification mcp() {
        return given().contentType(ContentType.JSON).header("Accept", "application/json, text/event-stream");
    }

    @Test
    void aServerThatRestartedGetsANewSessionAndTheCallGoesThrough() throws Exception {
        call("call remote__echo with {\"message\": \"before\"}", "Echo: before");
        McpPeers.stop(everything);
        everything = McpPeers.everythingOverHttp(everythingPort, "it-mcp-everything-http-2");
        // The old session id means nothing to the new process: the runtime opens a new session and goes on.
        call("call remote__echo with {\"message\": \"after\"}", "Echo: after");
        await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(server("remote").getString("state")));
    }

    @Test
    void theTokenNeverReachesTheLog() throws Exception {
        call("call remote__echo with {\"message\": \"log check\"}", "Echo: log check");
        assertThat(Files.readString(Path.of("target", "it-mcp-remote.log"))).doesNotContain(TOKEN);
    }

    private static void call(String prompt, String result) {
        given().contentType(ContentType.JSON).header("Prefer", "wait=30").body(Map.of("prompt", prompt))
                .post(app.url("/api/v1/runs")).then().statusCode(201)
                .body("status", org.hamcrest.Matchers.equalTo("completed"))
                .body("result", org.hamcrest.Matchers.equalTo(result));
    }

    private static JsonPath health() {
        return given().get(app.url("/api/v1/health")).then().extract().jsonPath();
    }

    private static JsonPath server(String name) {
        String json = health().prettify();
        try {
            for (var server : TestJson.mapper().readTree(json).path("mcp_servers")) {
                if (server.path("name").asText().equals(name)) {
                    return new JsonPath(server.toString());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no MCP server '" + name + "' in " + json);
    }
}
