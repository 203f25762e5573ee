package dev.agentruntime.cli;

import dev.agentruntime.testing.RunKeyNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.testing.AppProcess;
import dev.agentruntime.testing.CliProcess;
import dev.agentruntime.testing.DroppingProxy;
import dev.agentruntime.testing.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every client command of the packaged binary (a child process, the engine never started in it) against a real
 * server on Redis with API keys on: reading, running and following, approving and rejecting (without a terminal,
 * on a pseudo-terminal, all at once), cancelling, problems as one-line errors, a watch that resumes after its
 * connection is cut, and a one-shot on the same Redis whose run the server then serves.
 */
class ClientCommandsIT {

    private static final String KEY = "acme-cli-0123456789abcdef";
    private static final Pattern RUN_ID = Pattern.compile("run ([0-9a-f-]{36})");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RedisProcess redis;
    private static AppProcess server;
    private static Map<String, String> client;

    @BeforeAll
    static void startServer() throws Exception {
        redis = new RedisProcess();
        redis.start();
        server = AppProcess.start("it-cli-client-server", Map.of("AGENT_STORE", "redis",
                "QUARKUS_REDIS_HOSTS", redis.uri(), "AGENT_AUTH", "api-key", "AGENT_API_KEYS", "acme=" + KEY,
                "AGENT_APPROVAL_TOOLS", "todo_store"));
        client = Map.of("AGENT_SERVER", server.url(""), "AGENT_API_KEY", KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void healthToolsAndTodosReadTheServer() throws Exception {
        CliProcess.Result health = cli("health");
        assertThat(health.exit()).isZero();
        assertThat(health.lines().get(0)).startsWith("UP  version ").contains("store redis");
        assertThat(json(cli("health", "-o", "json")).path("status").asText()).isEqualTo("UP");

        JsonNode tools = json(cli("tools", "-o", "json"));
        assertThat(tools.findValuesAsText("name")).contains("calculator", "todo_store", "wait");
        assertThat(cli("tools").lines()).anySatisfy(line -> assertThat(line).matches("calculator +built-in +\\S.*"));

        String marker = marker();
        assertThat(cli("run", "--approve-all", "add todo to buy stamps " + marker).exit()).isZero();
        JsonNode todos = json(cli("todos", "-o", "json", "--limit", "100"));
        assertThat(todos.path("todos").findValuesAsText("text")).contains("buy stamps " + marker);
        List<String> page = cli("todos", "--limit", "100").lines();
        assertThat(page).anySatisfy(line -> assertThat(line).endsWith("[ ] buy stamps " + marker));
        assertThat(page.get(page.size() - 1)).matches("\\d+ todos?: \\d+ completed, \\d+ pending");
    }

    @Test
    void aRunOnTheServerIsFollowedToItsEndAsTextOrJsonl() throws Exception {
        CliProcess.Result text = cli("run", "calculate 6 * 7");
        assertThat(text.exit()).as(text.stderr()).isZero();
        assertThat(text.lines()).contains("  1. calculator {\"expression\":\"6 * 7\"}")
                .anySatisfy(line -> assertThat(line).matches("\\[1] calculator completed in .* \\(1 attempt\\): 42"));
        assertThat(text.lines().get(text.lines().size() - 1)).isEqualTo("completed: 42");

        CliProcess.Result jsonl = cli("run", "-o", "jsonl", "wait 1 seconds then calculate 2 + 2");
        assertThat(jsonl.exit()).as(jsonl.stderr()).isZero();
        List<JsonNode> events = jsonl.lines().stream().map(ClientCommandsIT::parse).toList();
        assertThat(events).extracting(event -> event.path("event").asText()).containsExactly("run_started",
                "step_started", "step_completed", "step_started", "step_completed", "run_completed");
        assertThat(events).extracting(event -> event.path("data").path("run_id").asText()).containsOnly(
                events.get(0).path("data").path("run_id").asText());
        assertThat(events.get(5).path("data").path("result").asInt()).isEqualTo(4);
    }

    @Test
    void aDetachedRunIsWatchedReadAndListed() throws Exception {
        CliProcess.Result detached = cli("run", "--detach", "calculate 3 * 3");
        assertThat(detached.exit()).isZero();
        String runId = detached.stdout().strip();
        assertThat(UUID.fromString(runId)).isNotNull();

        CliProcess.Result watched = cli("runs", "watch", runId, "-o", "jsonl");
        assertThat(watched.exit()).isZero();
        assertThat(parse(watched.lines().get(watched.lines().size() - 1)).path("event").asText())
                .isEqualTo("run_completed");
        JsonNode run = json(cli("runs", "get", runId, "-o", "json"));
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("result").asInt()).isEqualTo(9);
        assertThat(cli("runs", "get", runId).lines()).contains("prompt: calculate 3 * 3", "result: 9");

        JsonNode two = json(cli("runs", "list", "--limit", "2", "-o", "json"));
        assertThat(two.size()).isEqualTo(2);
        List<JsonNode> completed = cli("runs", "list", "--status", "completed", "--limit", "100", "-o", "jsonl")
                .lines().stream().map(ClientCommandsIT::parse).toList();
        assertThat(completed).extracting(r -> r.path("status").asText()).containsOnly("completed");
        assertThat(completed).extracting(r -> r.path("run_id").asText()).contains(runId);
        assertThat(cli("runs", "list").lines().get(0)).startsWith("RUN ID").contains("STATUS", "PROMPT");
    }

    @Test
    void withoutATerminalARequestSaysHowToDecideAndTheDecisionShowsWhatIsDecided() throws Exception {
        String marker = marker();
        CliProcess.Result asked = cli("run", "add todo to buy milk " + marker);
        assertThat(asked.exit()).isEqualTo(3);
        String runId = runId(asked.stdout());
        assertThat(asked.stderr())
                .contains("awaits approval of step 1 todo_store {\"action\":\"add\",\"text\":\"buy milk "
                        + marker + "\"}")
                .contains("decide with: agent-runtime runs approve " + runId);
        String hash = json(cli("runs", "get", runId, "-o", "json")).path("approval").path("input_hash").asText();

        CliProcess.Result approved = cli("runs", "approve", runId, "--comment", "ok");
        assertThat(approved.exit()).isZero();
        assertThat(approved.lines()).containsExactly("approving step 1 todo_store {\"action\":\"add\",\"text\":"
                + "\"buy milk " + marker + "\"} (input_hash " + hash + ")", "approved: run " + runId + " is running");
        CliProcess.Result done = cli("runs", "watch", runId);
        assertThat(done.exit()).isZero();
        assertThat(done.stdout()).contains("[1] todo_store approved by acme: ok", "[1] todo_store completed");

        CliProcess.Result again = cli("runs", "approve", runId);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.stderr()).isEqualTo("agent-runtime: run " + runId + " is not awaiting approval (it is "
                + "completed)\n");

        String rejectedId = runId(cli("run", "add todo to buy eggs " + marker).stdout());
        CliProcess.Result rejected = cli("runs", "reject", rejectedId, "--comment", "not now");
        assertThat(rejected.exit()).isZero();
        assertThat(rejected.lines().get(1)).isEqualTo("rejected: run " + rejectedId + " is rejected");
        CliProcess.Result ended = cli("runs", "watch", rejectedId);
        assertThat(ended.exit()).isEqualTo(3);
        assertThat(ended.lines().get(ended.lines().size() - 1)).startsWith("rejected: rejected by acme: not now");
    }

    @Test
    void waitApprovalWaitsForADecisionTakenElsewhereAndApproveAllDecidesAlone() throws Exception {
        String marker = marker();
        try (CliProcess waiting = CliProcess.start(client, "run", "--wait-approval", "add todo to wait " + marker)) {
            String runId = runId(waiting.awaitOutput("awaits approval", Duration.ofSeconds(30)));
            assertThat(cli("runs", "approve", runId).exit()).isZero();
            CliProcess.Result result = waiting.finish(Duration.ofSeconds(30));
            assertThat(result.exit()).isZero();
            assertThat(result.lines().get(result.lines().size() - 1)).startsWith("completed: {\"todo\":");
        }
        CliProcess.Result all = cli("run", "--approve-all", "add todo to approve all " + marker);
        assertThat(all.exit()).isZero();
        assertThat(all.stdout()).contains("approved by acme: approved with --approve-all");
    }

    @Test
    void onATerminalTheResolvedInputIsShownAndTheAnswerDecides() throws Exception {
        String marker = marker();
        try (CliProcess yes = CliProcess.onTerminal(client, "run", "add todo to feed the cat " + marker)) {
            yes.awaitOutput("[y/N] ", Duration.ofSeconds(30));
            yes.type("y");
            CliProcess.Result result = yes.finish(Duration.ofSeconds(30));
            assertThat(result.exit()).as(result.stdout()).isZero();
            assertThat(result.stdout()).contains(" step 1 todo_store {\"action\":\"add\",\"text\":\"feed the cat "
                    + marker + "\"} (input_hash ").contains("completed")
                    .as("colours on a terminal").contains("\033[32m");
        }
        Map<String, String> noColour = new HashMap<>(client);
        noColour.put("NO_COLOR", "1");
        try (CliProcess no = CliProcess.onTerminal(noColour, "run", "add todo to feed the dog " + marker)) {
            no.awaitOutput("[y/N] ", Duration.ofSeconds(30));
            no.type("n");
            CliProcess.Result result = no.finish(Duration.ofSeconds(30));
            assertThat(result.exit()).as(result.stdout()).isEqualTo(3);
            assertThat(result.stdout()).contains("rejected: rejected by acme: rejected at the terminal")
                    .as("NO_COLOR").doesNotContain("\033[3").doesNotContain("\033[1m");
        }
    }

    @Test
    void cancelStopsARunOnceAndCtrlCCancelsTheRunItStarted() throws Exception {
        String runId = cli("run", "--detach", "wait 30 seconds").stdout().strip();
        CliProcess.Result cancelled = cli("runs", "cancel", runId);
        assertThat(cancelled.exit()).isZero();
        assertThat(cancelled.stdout()).isEqualTo("run " + runId + " cancelled\n");
        CliProcess.Result again = cli("runs", "cancel", runId);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.stderr()).isEqualTo("agent-runtime: 409 Conflict: run " + runId
                + " already ended as cancelled\n");

        try (CliProcess run = CliProcess.start(client, "run", "wait 30 seconds")) {
            String started = run.awaitOutput("[1] wait started", Duration.ofSeconds(30));
            run.interrupt();
            CliProcess.Result result = run.finish(Duration.ofSeconds(20));
            assertThat(result.exit()).isEqualTo(3);
            assertThat(result.lines().get(result.lines().size() - 1)).isEqualTo("cancelled: cancelled by request");
            assertThat(json(cli("runs", "get", runId(started), "-o", "json")).path("status").asText())
                    .isEqualTo("cancelled");
        }
    }

    /** Issue 30: the binary forks a failed run on the server (on Redis) with an input from a file, and lists it. */
    @Test
    void aFailedRunIsForkedWithAnInputFromAFileAndListedAmongItsSourcesForks() throws Exception {
        CliProcess.Result failed = cli("run", "calculate 6 * 7 and then calculate 1 / 0");
        assertThat(failed.exit()).isEqualTo(1);
        String source = runId(failed.stdout());
        Path input = Files.createTempFile("fork-input", ".json");
        try {
            Files.writeString(input, "{\"expression\": \"{{steps.1.output}} + 1\"}");
            CliProcess.Result fork = cli("runs", "fork", source, "--from-step", "2", "--input", "@" + input,
                    "--reason", "add one", "-o", "json");
            JsonNode forked = json(fork);
            String forkId = forked.path("run_id").asText();
            assertThat(forked.path("forked_from").path("run_id").asText()).isEqualTo(source);
            assertThat(forked.path("execution_log").get(0).path("reused").asBoolean()).isTrue();
            CliProcess.Result watched = cli("runs", "watch", forkId, "-q");
            assertThat(watched.exit()).as(watched.stderr()).isZero();
            assertThat(watched.stdout()).isEqualTo("43\n");
            assertThat(cli("runs", "forks", source, "-q").stdout()).isEqualTo(forkId + "\n");
        } finally {
            Files.deleteIfExists(input);
        }
        CliProcess.Result notJson = cli("runs", "fork", source, "--input", "{\"expression\": ");
        assertThat(notJson.exit()).isEqualTo(2);
        assertThat(notJson.stderr()).startsWith("agent-runtime: --input: not valid JSON (").hasLineCount(1);
        CliProcess.Result badStep = cli("runs", "fork", source, "--from-step", "9");
        assertThat(badStep.exit()).isEqualTo(2);
        assertThat(badStep.stderr()).startsWith("agent-runtime: 422 ").hasLineCount(1);
    }

    @Test
    void problemsAreOneLineErrorsWithAnExitStatus() throws Exception {
        CliProcess.Result unknown = cli("runs", "get", UUID.randomUUID().toString());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.stderr().lines().toList()).singleElement().asString().startsWith("agent-runtime: 404 ");

        Map<String, String> wrongKey = new HashMap<>(client);
        wrongKey.put("AGENT_API_KEY", "not-the-key-0123456789");
        CliProcess.Result unauthorized = CliProcess.run(wrongKey, "runs", "list");
        assertThat(unauthorized.exit()).isEqualTo(1);
        assertThat(unauthorized.stderr()).isEqualTo("agent-runtime: 401 Unauthorized: the API key is not valid\n");

        CliProcess.Result unplannable = cli("run", "make me a sandwich");
        assertThat(unplannable.exit()).isEqualTo(2);
        assertThat(unplannable.stderr().lines().toList()).singleElement().asString()
                .startsWith("agent-runtime: 422 ").contains("could not map \"make me a sandwich\"");

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CliProcess.Result unreachable = cli("health", "--server", "http://127.0.0.1:" + closed);
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.stderr()).isEqualTo("agent-runtime: cannot reach http://127.0.0.1:" + closed
                + " (connection refused)\n");
    }

    @Test
    void aWatchWhoseConnectionIsCutResumesAfterTheLastEventItGot() throws Exception {
        // A run that waits for approval holds still, however slowly the processes start on a loaded machine.
        String runId = cli("run", "--detach", "add todo to resume " + marker()).stdout().strip();
        try (DroppingProxy proxy = new DroppingProxy(server.port());
             CliProcess watch = CliProcess.start(client, "runs", "watch", runId, "-o", "jsonl", "--wait-approval",
                     "--server", proxy.url())) {
            String before = watch.awaitOutput("\"approval_requested\"", Duration.ofSeconds(30));
            String lastBeforeDrop = parse(before.lines().reduce((first, second) -> second).orElseThrow())
                    .path("id").asText();
            proxy.dropAll();
            assertThat(cli("runs", "approve", runId).exit()).isZero();

            CliProcess.Result result = watch.finish(Duration.ofSeconds(30));

            assertThat(result.exit()).as(result.stderr()).isZero();
            List<JsonNode> events = result.lines().stream().map(ClientCommandsIT::parse).toList();
            assertThat(events).extracting(event -> event.path("event").asText()).containsExactly("run_started",
                    "approval_requested", "approval_granted", "step_started", "step_completed", "run_completed");
            assertThat(events).extracting(event -> event.path("id").asText()).doesNotHaveDuplicates();
            assertThat(result.stderr()).contains("event stream of run " + runId + " lost")
                    .contains("event stream of run " + runId + " found again");
            List<String> streams = proxy.requestHeads().stream().filter(head -> head.contains("/events")).toList();
            assertThat(streams).hasSize(2);
            assertThat(streams.get(0)).doesNotContainIgnoringCase("Last-Event-ID");
            assertThat(streams.get(1)).containsIgnoringCase("Last-Event-ID: " + lastBeforeDrop);
        }
    }

    @Test
    void oneShotsOnTheSameRedisShareTheirRunsWithTheServerAndLeaveNoConsumerBehind() throws Exception {
        Map<String, String> onRedis = Map.of("AGENT_STORE", "redis", "QUARKUS_REDIS_HOSTS", redis.uri());
        List<String> before = consumers();
        CliProcess.Result oneShot = CliProcess.run(onRedis, "run", "--tenant", "acme", "-o", "json", "calculate 9 * 9");
        assertThat(oneShot.exit()).as(oneShot.stderr()).isZero();
        String runId = JSON.readTree(oneShot.stdout()).path("run_id").asText();

        JsonNode served = json(cli("runs", "get", runId, "-o", "json"));
        assertThat(served.path("status").asText()).isEqualTo("completed");
        assertThat(served.path("result").asInt()).isEqualTo(81);

        assertThat(CliProcess.run(onRedis, "run", "-q", "calculate 1 + 1").stdout()).isEqualTo("2\n");
        // Each process joins the queue's group under its own name; one that ends with nothing pending leaves it
        // (the group kept a consumer for every one-shot ever run before).
        assertThat(consumers()).as("the queue's consumers after two one-shots").isEqualTo(before);
    }

    /** The names of the queue group's consumers. */
    private static List<String> consumers() throws IOException {
        // Every partition's group has the same consumers (ADR 0032): partition 0's stand for all.
        List<String> fields = redis.array("XINFO", "CONSUMERS", RunKeyNames.queue(0), "executors");
        return java.util.stream.IntStream.range(0, fields.size() - 1).filter(i -> fields.get(i).equals("name"))
                .mapToObj(i -> fields.get(i + 1)).sorted().toList();
    }

    private static CliProcess.Result cli(String... args) throws IOException, InterruptedException {
        return CliProcess.run(client, args);
    }

    private static JsonNode json(CliProcess.Result result) throws IOException {
        assertThat(result.exit()).as(result.stderr()).isZero();
        return JSON.readTree(result.stdout());
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    private static String runId(String output) {
        Matcher found = RUN_ID.matcher(output);
        assertThat(found.find()).as("a run id in: " + output).isTrue();
        return found.group(1);
    }

    private static String marker() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
