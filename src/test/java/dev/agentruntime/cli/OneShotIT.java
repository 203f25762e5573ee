package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.testing.AppProcess;
import dev.agentruntime.testing.CliProcess;
import dev.agentruntime.testing.ListeningPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code agent-runtime run PROMPT} with no server, the packaged binary as a child process, while a server of the same
 * application holds 8080 and 9000 (or, when those are taken on this machine, two free ports): each one-shot is
 * configured with the very ports the server holds, so it could not start if it tried to listen on them, and its
 * sockets are read from /proc while it runs.
 */
class OneShotIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static AppProcess server;
    private static Map<String, String> oneShot;

    @BeforeAll
    static void startServer() throws Exception {
        Map<String, String> ports = free(8080) && free(9000)
                ? Map.of("QUARKUS_HTTP_PORT", "8080", "QUARKUS_MANAGEMENT_PORT", "9000") : Map.of();
        server = AppProcess.start("it-cli-server", ports);
        oneShot = Map.of("QUARKUS_HTTP_PORT", Integer.toString(server.port()),
                "QUARKUS_MANAGEMENT_PORT", Integer.toString(server.managementPort()));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aCompletedRunPrintsThePlanEachStepAndTheResultAndNothingOfQuarkus() throws Exception {
        CliProcess.Result run = CliProcess.run(oneShot, "run", "calculate 100 / 4 and add the result as a todo");

        assertThat(run.exit()).as(run.stderr()).isZero();
        List<String> lines = run.lines();
        assertThat(lines.get(0)).matches("run [0-9a-f-]{36} planned by rules: 2 steps");
        assertThat(lines.subList(1, 3)).containsExactly("  1. calculator {\"expression\":\"100 / 4\"}",
                "  2. todo_store {\"action\":\"add\",\"text\":\"{{steps.1.output}}\"}");
        assertThat(lines.subList(3, lines.size() - 1)).satisfiesExactly(
                line -> assertThat(line).isEqualTo("[1] calculator started {\"expression\":\"100 / 4\"}"),
                line -> assertThat(line).matches("\\[1] calculator completed in [0-9.]+ m?s \\(1 attempt\\): 25"),
                line -> assertThat(line).as("the resolved input")
                        .isEqualTo("[2] todo_store started {\"action\":\"add\",\"text\":\"25\"}"),
                line -> assertThat(line).matches("\\[2] todo_store completed in .* \\(1 attempt\\): \\{\"todo\":\\{.*"
                        + "\"text\":\"25\".*"));
        assertThat(lines.get(lines.size() - 1)).startsWith("completed: {\"todo\":{").contains("\"text\":\"25\"");
        assertThat(run.stdout()).as("piped: no colours").doesNotContain("\033[");
        assertThat(run.stderr()).as("no banner, no logs").isEmpty();
    }

    @Test
    void jsonIsTheRunAndJsonlTheEventsOneALine() throws Exception {
        CliProcess.Result json = CliProcess.run(oneShot, "run", "-o", "json", "calculate 6 * 7");
        assertThat(json.exit()).as(json.stderr()).isZero();
        JsonNode run = JSON.readTree(json.stdout());
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("result").asInt()).isEqualTo(42);
        assertThat(run.path("execution_log").get(0).path("attempts").asInt()).isEqualTo(1);

        CliProcess.Result jsonl = CliProcess.run(oneShot, "run", "--output", "jsonl", "calculate 2 + 3");
        assertThat(jsonl.exit()).as(jsonl.stderr()).isZero();
        List<JsonNode> events = jsonl.lines().stream().map(OneShotIT::parse).toList();
        assertThat(events).extracting(event -> event.path("event").asText())
                .containsExactly("run_started", "step_started", "step_completed", "run_completed");
        assertThat(events).extracting(event -> event.path("id").asText()).doesNotHaveDuplicates();
        assertThat(events.get(2).path("data").path("output").asInt()).isEqualTo(5);
        assertThat(events.get(3).path("data").path("result").asInt()).isEqualTo(5);

        CliProcess.Result quiet = CliProcess.run(oneShot, "run", "-q", "calculate 6 * 7");
        assertThat(quiet.exit()).isZero();
        assertThat(quiet.stdout()).isEqualTo("42\n");
    }

    @Test
    void aFailedStepFailsTheRunWithExitOne() throws Exception {
        CliProcess.Result run = CliProcess.run(oneShot, "run", "calculate 1 / 0");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lines()).anySatisfy(line -> assertThat(line)
                .matches("\\[1] calculator failed in .* \\(1 attempt\\): division by zero.*"));
        assertThat(run.lines().get(run.lines().size() - 1)).startsWith("failed: ").contains("division by zero");
    }

    @Test
    void anUnplannablePromptAndBadUsageExitWithTwo() throws Exception {
        CliProcess.Result unplannable = CliProcess.run(oneShot, "run", "make me a sandwich");
        assertThat(unplannable.exit()).isEqualTo(2);
        assertThat(unplannable.stdout()).isEmpty();
        assertThat(unplannable.stderr().lines().toList()).as("the planner's message, on one line")
                .singleElement().asString().startsWith("agent-runtime: I could not map \"make me a sandwich\"");

        CliProcess.Result noPrompt = CliProcess.run(oneShot, "run");
        assertThat(noPrompt.exit()).isEqualTo(2);
        assertThat(noPrompt.stderr()).contains("Missing required parameter: 'PROMPT'");
        CliProcess.Result detached = CliProcess.run(oneShot, "run", "--detach", "calculate 1 + 1");
        assertThat(detached.exit()).isEqualTo(2);
        assertThat(detached.stderr()).contains("--detach needs a server");
        CliProcess.Result unknown = CliProcess.run(oneShot, "run", "--frobnicate", "calculate 1 + 1");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("Unknown option: '--frobnicate'");
    }

    @Test
    void ctrlCCancelsTheRunWhichEndsCancelledWithExitThreeAndNoPortWasOpen() throws Exception {
        try (CliProcess run = CliProcess.start(oneShot, "run", "wait 30 seconds")) {
            run.awaitOutput("[1] wait started", Duration.ofSeconds(60));
            assertThat(ListeningPorts.of(run.pid())).as("the one-shot's listening ports").isEmpty();
            assertThat(ListeningPorts.of(server.pid())).as("the server's, read the same way")
                    .contains(server.port(), server.managementPort());

            run.interrupt();
            CliProcess.Result result = run.finish(Duration.ofSeconds(20));

            assertThat(result.exit()).isEqualTo(3);
            assertThat(result.lines().get(result.lines().size() - 1)).isEqualTo("cancelled: cancelled by request");
            assertThat(result.stderr()).contains("cancelling run ");
        }
    }

    @Test
    void approvalsInProcessAreApprovedAllOrExplainedWithoutATerminal() throws Exception {
        Map<String, String> approving = new HashMap<>(oneShot);
        approving.put("AGENT_APPROVAL_TOOLS", "todo_store");

        CliProcess.Result all = CliProcess.run(approving, "run", "--approve-all", "add todo to call the plumber");
        assertThat(all.exit()).as(all.stderr()).isZero();
        assertThat(all.stdout())
                .containsPattern("\\[1] todo_store approved by default/cli:.*: approved with --approve-all")
                .contains("[1] todo_store completed");

        CliProcess.Result asked = CliProcess.run(approving, "run", "add todo to call the plumber");
        assertThat(asked.exit()).isEqualTo(3);
        assertThat(asked.stderr()).contains("awaits approval of step 1 todo_store "
                + "{\"action\":\"add\",\"text\":\"call the plumber\"} (input_hash ")
                .contains("memory only");
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
