package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code runs fork} and {@code runs forks} against a JDK HTTP server that answers as the fork endpoint's contract
 * says: what is sent (body, Idempotency-Key), what is printed, the exit status of each refusal, and an
 * {@code --input} that is not a JSON object refused before anything is sent. {@code CommandLineTest} runs the same
 * commands against the real endpoint.
 */
class ForkCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "11111111-1111-1111-1111-111111111111";
    private static final String FORK = "22222222-2222-2222-2222-222222222222";
    private static final String FORK_JSON = "{\"run_id\":\"" + FORK + "\",\"status\":\"pending\",\"planner\":\"rules\","
            + "\"prompt\":\"calculate 6 * 7 and then calculate 1 / 0\",\"created_at\":\"2026-12-06T12:00:00.1Z\","
            + "\"forked_from\":{\"run_id\":\"" + SOURCE + "\",\"step_number\":2,\"reason\":\"try\\nagain\"},"
            + "\"execution_log\":[{\"step_number\":1,\"tool_name\":\"calculator\",\"tool_input\":{\"expression\":"
            + "\"6 * 7\"},\"status\":\"completed\",\"reused\":true,\"output\":42,\"attempts\":1,\"duration_ms\":0.4},"
            + "{\"step_number\":2,\"tool_name\":\"calculator\","
            + "\"tool_input\":{\"expression\":\"{{steps.1.output}} + 1\"},"
            + "\"status\":\"pending\",\"attempts\":0}]}";

    @TempDir
    Path files;

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    ForkCommandTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/runs/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** The contract: 201 and the fork; 404 unknown, 409 not ended, 422 a step the plan does not have. */
    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                + exchange.getRequestHeaders().getFirst("Idempotency-Key") + " " + body);
        if (path.equals("/api/v1/runs/" + SOURCE + "/fork")) {
            if (body.contains("\"from_step\":9")) {
                send(exchange, 422, "{\"title\":\"Unprocessable Content\",\"status\":422,"
                        + "\"detail\":\"from_step: the plan has 2 steps\"}");
            } else {
                send(exchange, 201, FORK_JSON);
            }
        } else if (path.equals("/api/v1/runs/running/fork")) {
            send(exchange, 409, "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"run running has not ended\"}");
        } else if (path.equals("/api/v1/runs/" + SOURCE + "/forks")) {
            send(exchange, 200, "[" + FORK_JSON + "]");
        } else {
            send(exchange, 404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"Run unknown not found\"}");
        }
    }

    @Test
    void aForkSendsWhatWasGivenAndPrintsTheNewRunAsRunsGetDoes() throws Exception {
        Outcome text = cli("runs", "fork", SOURCE, "--from-step", "2", "--input",
                "{\"expression\": \"{{steps.1.output}} + 1\"}", "--reason", "try\nagain", "--idempotency-key", "k-1");

        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(requests).singleElement().asString().startsWith("POST /api/v1/runs/" + SOURCE + "/fork k-1 ");
        assertThat(JSON.readTree(requests.get(0).substring(requests.get(0).indexOf('{')))).isEqualTo(JSON.readTree(
                "{\"from_step\":2,\"tool_input\":{\"expression\":\"{{steps.1.output}} + 1\"},"
                        + "\"reason\":\"try\\nagain\"}"));
        assertThat(text.out().lines()).containsExactly(
                "run " + FORK + " pending, planned by rules",
                "forked from run " + SOURCE + " at step 2: try again",
                "prompt: calculate 6 * 7 and then calculate 1 / 0",
                "created 2026-12-06T12:00:00.1Z",
                "[1] calculator {\"expression\":\"6 * 7\"} reused completed in 0.4 ms (1 attempt): 42",
                "[2] calculator {\"expression\":\"{{steps.1.output}} + 1\"} pending");

        JsonNode json = JSON.readTree(cli("runs", "fork", SOURCE, "-o", "json").out());
        assertThat(json).isEqualTo(JSON.readTree(FORK_JSON));
        assertThat(requests.get(1)).isEqualTo("POST /api/v1/runs/" + SOURCE + "/fork null {}");
        assertThat(cli("runs", "fork", SOURCE, "-q").out()).isEqualTo(FORK + "\n");
    }

    @Test
    void anInputFromAFileIsSentAsWritten() throws Exception {
        Path input = Files.writeString(files.resolve("input.json"), "{\"expression\": \"0.1 + 0.2\", \"é\": 1}\n");

        Outcome fork = cli("runs", "fork", SOURCE, "--input", "@" + input);

        assertThat(fork.exit()).as(fork.err()).isZero();
        assertThat(requests.get(0)).endsWith("{\"tool_input\":{\"expression\":\"0.1 + 0.2\",\"é\":1}}");
    }

    @Test
    void anInputThatIsNotAJsonObjectIsRefusedBeforeAnythingIsSent() throws Exception {
        Path big = files.resolve("big.json");
        Files.writeString(big, "{\"text\": \"" + "x".repeat(JsonArgument.MAX_BYTES) + "\"}");
        Path latin1 = Files.write(files.resolve("latin1.json"), new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}'});
        for (List<String> refused : List.of(
                List.of("{\"expression\": ", "--input: not valid JSON ("),
                List.of("{\"a\": 1} trailing", "--input: not valid JSON ("),
                List.of("[1, 2]", "--input: must be a JSON object ({...}), got array"),
                List.of("\"text\"", "--input: must be a JSON object ({...}), got string"),
                List.of("", "--input: must be a JSON object ({...}), got nothing"),
                List.of("@" + files.resolve("absent.json"), "--input: no such file: " + files.resolve("absent.json")),
                List.of("@" + big, "--input: " + big + " is larger than 1048576 bytes, the most the server accepts"),
                List.of("@" + latin1, "--input: " + latin1 + " is not UTF-8 text"))) {
            Outcome outcome = cli("runs", "fork", SOURCE, "--input", refused.get(0));
            assertThat(outcome.exit()).as(refused.get(0)).isEqualTo(ExitCode.USAGE.code);
            assertThat(outcome.err()).as(refused.get(0)).startsWith("agent-runtime: " + refused.get(1))
                    .hasLineCount(1);
            assertThat(outcome.out()).isEmpty();
        }
        Outcome badStep = cli("runs", "fork", SOURCE, "--from-step", "0");
        assertThat(badStep.exit()).isEqualTo(ExitCode.USAGE.code);
        assertThat(badStep.err()).isEqualTo("agent-runtime: --from-step: must be 1 or more\n");
        assertThat(requests).as("nothing was sent").isEmpty();
    }

    @Test
    void refusalsAreOneLineWithTheirExitStatus() {
        Outcome unknown = cli("runs", "fork", "unknown");
        assertThat(unknown.exit()).isEqualTo(ExitCode.FAILED.code);
        assertThat(unknown.err()).isEqualTo("agent-runtime: 404 Not Found: Run unknown not found\n");
        Outcome running = cli("runs", "fork", "running");
        assertThat(running.exit()).isEqualTo(ExitCode.FAILED.code);
        assertThat(running.err()).isEqualTo("agent-runtime: 409 Conflict: run running has not ended\n");
        Outcome badStep = cli("runs", "fork", SOURCE, "--from-step", "9");
        assertThat(badStep.exit()).isEqualTo(ExitCode.USAGE.code);
        assertThat(badStep.err()).isEqualTo("agent-runtime: 422 Unprocessable Content: from_step: the plan has 2 "
                + "steps\n");
        assertThat(unknown.out() + running.out() + badStep.out()).isEmpty();
    }

    @Test
    void theForksOfARunAreListedLikeRuns() throws Exception {
        Outcome table = cli("runs", "forks", SOURCE, "--limit", "5");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(requests).containsExactly("GET /api/v1/runs/" + SOURCE + "/forks?limit=5 null ");
        assertThat(table.out().lines()).hasSize(2).first().asString().startsWith("RUN ID");
        assertThat(table.out().lines().toList().get(1)).startsWith(FORK + "  pending ").contains("1/2");
        assertThat(cli("runs", "forks", SOURCE, "-q").out()).isEqualTo(FORK + "\n");
        assertThat(JSON.readTree(cli("runs", "forks", SOURCE, "-o", "jsonl").out()).path("run_id").asText())
                .isEqualTo(FORK);
        assertThat(cli("runs", "forks", SOURCE, "--limit", "101").err())
                .isEqualTo("agent-runtime: --limit: must be between 1 and 100\n");
        assertThat(cli("runs", "forks", "unknown").exit()).isEqualTo(ExitCode.FAILED.code);
    }

    record Outcome(int exit, String out, String err) {
    }

    private Outcome cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] withServer = Stream.concat(Arrays.stream(args), Stream.of("--server",
                "http://127.0.0.1:" + server.getAddress().getPort(), "--no-color")).toArray(String[]::new);
        int exit = Cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(withServer);
        return new Outcome(exit, out.toString(), err.toString());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json"
                : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
