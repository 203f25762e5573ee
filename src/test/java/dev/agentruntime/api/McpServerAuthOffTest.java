package dev.agentruntime.api;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.agentruntime.api.McpServerTest.call;
import static dev.agentruntime.api.McpServerTest.structured;
import static dev.agentruntime.api.McpServerTest.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 25: with authentication off (the embedded default) every MCP tool error became {@code -32603 Internal error}
 * (the tools read the caller's identity on the event loop, which lazy authentication forbids) and the prompt was
 * written to the ERROR log. Now the tools act for tenant {@code default}, errors carry the HTTP API's detail, and
 * nothing a caller typed reaches a WARN or ERROR line.
 */
@QuarkusTest
class McpServerAuthOffTest {

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
                for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                    line.append(" | ").append(t);
                }
                warnings.add(line.toString());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureWarnings() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void toolErrorsCarryTheHttpApisDetailAndThePromptIsNeverLogged() {
        String secret = "frobnicate-the-secret-" + System.nanoTime();
        try (McpSyncClient client = client()) {
            McpSchema.CallToolResult unplannable = call(client, "run_prompt", Map.of("prompt", "please " + secret));
            assertThat(unplannable.isError()).isTrue();
            assertThat(text(unplannable)).contains("I could not map");
            McpSchema.CallToolResult unknown = call(client, "get_run", Map.of("run_id", "no-such-run"));
            assertThat(unknown.isError()).isTrue();
            assertThat(text(unknown)).contains("no-such-run");

            Map<String, Object> run = structured(call(client, "run_prompt", Map.of("prompt", "calculate 6 * 7",
                    "wait_seconds", 10)));
            assertThat(run).containsEntry("tenant", "default").containsEntry("result", 42);
        }
        assertThat(warnings).noneMatch(line -> line.contains(secret));
    }

    static McpSyncClient client() {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder(RestAssured.baseURI + ":" + RestAssured.port).endpoint("/mcp").build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        return client;
    }
}
