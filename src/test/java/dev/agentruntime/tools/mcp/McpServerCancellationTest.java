package dev.agentruntime.tools.mcp;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An MCP client cancels a waiting {@code run_prompt} call: the server stops waiting, the run goes on. The official
 * Java SDK (2.1.0) cannot send {@code notifications/cancelled}, so the runtime's own MCP client session (over
 * langchain4j-mcp's Streamable HTTP transport) plays the client here, against the runtime's own {@code /mcp}.
 */
@QuarkusTest
@TestProfile(McpServerCancellationTest.Logged.class)
class McpServerCancellationTest {

    static final String KEY = "acme-key-mcp-cancel-0123456789";
    static final Path LOG = Path.of("target", "mcp-server-cancel.log");

    public static class Logged implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agent.auth.mode", "api-key", "agent.auth.api-keys", "acme=" + KEY,
                    "quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG.toString());
        }
    }

    @Test
    void aCancelledCallStopsWaitingButTheRunGoesOn() throws Exception {
        McpSession session = new McpSession("self", StreamableHttpMcpTransport.builder()
                .url(RestAssured.baseURI + ":" + RestAssured.port + "/mcp")
                .customHeaders(Map.of("Authorization", "Bearer " + KEY)).build(), () -> { });
        // The log file outlives the JVM: a line of an earlier run of this test (a run of another JVM, unknown here)
        // once answered the wait at once, and its run was then awaited in vain.
        long before = Files.exists(LOG) ? Files.size(LOG) : 0;
        try {
            session.open("test").get(10, TimeUnit.SECONDS);
            ObjectNode arguments = JsonNodeFactory.instance.objectNode()
                    .put("prompt", "wait 2 seconds then calculate 5 + 5").put("wait_seconds", 25);
            McpSession.Call call = session.call("run_prompt", arguments);
            Thread.sleep(700);
            assertThat(call.response()).isNotDone();
            session.cancel(call.id(), "the user closed the window");

            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(LOG)
                    && logSince(before).contains("run_prompt stopped waiting for run"));
            String line = logSince(before).lines().filter(l -> l.contains("run_prompt stopped waiting for run"))
                    .reduce((a, b) -> b).orElseThrow();
            String runId = line.replaceAll(".*stopped waiting for run ([0-9a-f-]{36}).*", "$1");
            assertThat(runId).hasSize(36);
            // Stopping the wait did not stop the run.
            await().atMost(Duration.ofSeconds(10)).until(() -> "completed".equals(given()
                    .header("Authorization", "Bearer " + KEY).get("/api/v1/runs/" + runId).jsonPath()
                    .getString("status")));
        } finally {
            session.close();
        }
    }

    /** What the log file holds after its first {@code offset} bytes: this test's lines. */
    private static String logSince(long offset) throws java.io.IOException {
        byte[] all = Files.readAllBytes(LOG);
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
