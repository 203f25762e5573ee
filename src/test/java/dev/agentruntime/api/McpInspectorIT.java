package dev.agentruntime.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.testing.AppProcess;
import dev.agentruntime.testing.McpPeers;
import dev.agentruntime.testing.TestJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged application (jar, or native binary with {@code -Dnative}) as an MCP server, driven by a real
 * third-party client: the MCP Inspector's command-line mode, from the repository's pinned npm packages.
 */
class McpInspectorIT {

    private static final String KEY = "acme-key-inspector-0123456789";
    private static AppProcess app;

    @BeforeAll
    static void start() throws Exception {
        app = AppProcess.start("it-mcp-inspector", Map.of("AGENT_AUTH", "api-key", "AGENT_API_KEYS", "acme=" + KEY));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theInspectorListsTheToolsAndRunsAPrompt() throws Exception {
        Result listed = inspector(true, "--method", "tools/list");
        assertThat(listed.exit()).as(listed.output()).isZero();
        JsonNode tools = json(listed.output()).path("tools");
        List<String> names = new ArrayList<>();
        tools.forEach(tool -> names.add(tool.path("name").asText()));
        assertThat(names).contains("run_prompt", "get_run", "list_runs", "cancel_run", "list_todos", "approve_step",
                "reject_step", "fork_run");

        Result ran = inspector(true, "--method", "tools/call", "--tool-name", "run_prompt",
                "--tool-arg", "prompt=calculate 20 + 22", "--tool-arg", "wait_seconds=10");
        assertThat(ran.exit()).as(ran.output()).isZero();
        JsonNode run = json(ran.output()).path("structuredContent");
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("result").asInt()).isEqualTo(42);
        assertThat(run.path("tenant").asText()).isEqualTo("acme");
    }

    @Test
    void withoutAKeyTheInspectorIsRefused() throws Exception {
        Result refused = inspector(false, "--method", "tools/list");
        // The endpoint answers 401 with a Bearer challenge; the inspector reports that it needs authorization.
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("auth_required");
    }

    private record Result(int exit, String output) {
    }

    private static Result inspector(boolean withKey, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(McpPeers.bin("mcp-inspector").toString(), "--cli",
                app.url("/mcp"), "--transport", "http"));
        if (withKey) {
            command.addAll(List.of("--header", "Authorization: Bearer " + KEY));
        }
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("inspector", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the inspector did not finish within 60 s: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output));
    }

    /** The inspector prints a JSON document, possibly after a line of its own. */
    private static JsonNode json(String output) throws Exception {
        return TestJson.mapper().readTree(output.substring(output.indexOf('{')));
    }
}
