package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands' logic in this JVM, fast, against the test application's HTTP API (todo steps need approval), and a
 * one-shot run through {@link LocalRun} on its engine. The packaged binary is proven by the *IT classes beside this
 * one; this covers what they cannot count: every branch of the commands, printed to a test's streams.
 */
@QuarkusTest
@TestProfile(CommandLineTest.TodosNeedApproval.class)
class CommandLineTest {

    public static class TodosNeedApproval implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agent.approval.tools", "todo_store");
        }
    }

    private static final Pattern RUN_ID = Pattern.compile("run ([0-9a-f-]{36})");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    @Inject
    LocalRun local;

    record Outcome(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }

        String last() {
            List<String> lines = lines();
            return lines.get(lines.size() - 1);
        }

        JsonNode json() throws IOException {
            assertThat(exit).as(err).isZero();
            return JSON.readTree(out);
        }
    }

    @Test
    void aRunOnTheServerPrintsItsPlanEachStepAndItsResult() {
        Outcome run = server("run", "--approve-all", "calculate 100 / 4 and add the result as a todo");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.lines()).contains("  1. calculator {\"expression\":\"100 / 4\"}",
                        "[1] calculator started {\"expression\":\"100 / 4\"}",
                        "[2] todo_store started {\"action\":\"add\",\"text\":\"25\"}",
                        "[2] todo_store approved by default: approved with --approve-all")
                .anySatisfy(line -> assertThat(line).startsWith("[2] todo_store awaits approval: "
                        + "{\"action\":\"add\",\"text\":\"25\"} (input_hash "));
        assertThat(run.last()).startsWith("completed: {\"todo\":{").contains("\"text\":\"25\"");
        assertThat(run.err()).isEmpty();

        Outcome quiet = server("run", "-q", "calculate 6 * 7");
        assertThat(quiet.out()).isEqualTo("42\n");
        Outcome failed = server("run", "-q", "calculate 1 / 0");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.out()).isEmpty();
        assertThat(failed.err()).contains(" failed: step 1 (calculator) failed: division by zero");
    }

    @Test
    void requestsAreReportedThenApprovedOrRejectedShowingWhatIsDecided() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        Outcome asked = server("run", "add todo to buy milk " + marker);
        assertThat(asked.exit()).isEqualTo(3);
        String runId = runId(asked.out());
        assertThat(asked.err()).contains("decide with: agent-runtime runs approve --server " + root + " " + runId);
        assertThat(server("runs", "get", runId).lines()).anySatisfy(line -> assertThat(line)
                .startsWith("awaiting approval of step 1 todo_store {\"action\":\"add\",\"text\":\"buy milk "));
        String hash = server("runs", "get", runId, "-o", "json").json().path("approval").path("input_hash").asText();

        Outcome approved = server("runs", "approve", runId, "--comment", "fine");
        assertThat(approved.lines()).containsExactly("approving step 1 todo_store {\"action\":\"add\",\"text\":"
                + "\"buy milk " + marker + "\"} (input_hash " + hash + ")", "approved: run " + runId + " is running");
        Outcome watched = server("runs", "watch", runId);
        assertThat(watched.exit()).isZero();
        assertThat(watched.out()).contains("[1] todo_store approved by default: fine");
        Outcome notAwaiting = server("runs", "reject", runId);
        assertThat(notAwaiting.exit()).isEqualTo(1);
        assertThat(notAwaiting.err()).contains("is not awaiting approval (it is completed)");

        String other = runId(server("run", "add todo to buy eggs " + marker).out());
        String otherHash = server("runs", "get", other, "-o", "json").json().path("approval").path("input_hash")
                .asText();
        for (Map.Entry<String, String> verb : Map.of("approve", "approving", "reject", "rejecting").entrySet()) {
            Outcome stale = server("runs", verb.getKey(), other, "--input-hash", hash);
            assertThat(stale.exit()).as("a hash of another request").isEqualTo(1);
            assertThat(stale.out()).as("the hash sent, not the pending request's").isEqualTo(
                    verb.getValue() + " step 1 todo_store {\"action\":\"add\",\"text\":"
                            + "\"buy eggs " + marker + "\"} (input_hash " + hash + ")\n");
            assertThat(stale.err().lines().toList()).hasSize(2).first().as("said before sending")
                    .isEqualTo("input_hash " + hash + " is not the pending request's (" + otherHash + ")");
            assertThat(stale.err().lines().toList().get(1)).startsWith("agent-runtime: 409 ");
        }
        assertThat(server("runs", "reject", other, "--comment", "no", "-o", "json").json().path("status").asText())
                .isEqualTo("rejected");
        Outcome rejected = server("runs", "watch", other, "-q");
        assertThat(rejected.exit()).isEqualTo(3);
        assertThat(rejected.err()).contains("rejected: rejected by default: no");
    }

    @Test
    void runsAreListedReadAndFollowedFromAnEvent() throws Exception {
        String done = server("run", "--detach", "calculate 2 * 21").out().strip();
        Outcome watched = server("runs", "watch", done, "-o", "jsonl");
        List<String> events = watched.lines();
        assertThat(JSON.readTree(events.get(events.size() - 1)).path("data").path("result").asInt()).isEqualTo(42);
        String firstId = JSON.readTree(events.get(0)).path("id").asText();
        assertThat(server("runs", "watch", done, "-o", "jsonl", "--last-event-id", firstId).lines())
                .isEqualTo(events.subList(1, events.size()));
        assertThat(server("runs", "get", done).lines()).contains("prompt: calculate 2 * 21", "result: 42");
        assertThat(server("runs", "get", done, "-o", "jsonl").lines()).hasSize(1);

        String failed = runId(server("run", "calculate 5 / 0").out());
        assertThat(server("runs", "get", failed).last()).startsWith("error: step 1 (calculator) failed");
        JsonNode onlyFailed = server("runs", "list", "--status", "failed", "--limit", "100", "-o", "json").json();
        // The runs' own fields: findValuesAsText would also read their steps' status and a fork's forked_from.
        assertThat(Cli.values(onlyFailed, "status")).containsOnly("failed");
        assertThat(Cli.values(onlyFailed, "run_id")).contains(failed).doesNotContain(done);
        assertThat(server("runs", "list", "--limit", "1", "-o", "json").json().size()).isEqualTo(1);
        assertThat(server("runs", "list", "--status", "awaiting_approval", "-o", "json").json().isArray()).isTrue();
        assertThat(server("runs", "list").lines().get(0)).startsWith("RUN ID");
    }

    /** Issue 30: runs fork and runs forks against the real endpoint. */
    @Test
    void aFailedRunIsForkedWithAnotherInputAndListedAmongTheForksOfItsSource() throws Exception {
        String failed = runId(server("run", "calculate 6 * 7 and then calculate 1 / 0").out());

        Outcome fork = server("runs", "fork", failed, "--input", "{\"expression\": \"{{steps.1.output}} + 1\"}",
                "--reason", "add instead", "--idempotency-key", "fork-" + failed);

        assertThat(fork.exit()).as(fork.err()).isZero();
        String forkId = runId(fork.out());
        assertThat(forkId).isNotEqualTo(failed);
        assertThat(fork.lines()).contains("forked from run " + failed + " at step 2: add instead")
                .anySatisfy(line -> assertThat(line).startsWith("[1] calculator {\"expression\":\"6 * 7\"} reused "
                        + "completed in "));
        assertThat(server("runs", "watch", forkId, "-q").out()).isEqualTo("43\n");
        assertThat(server("runs", "watch", forkId).lines()).anySatisfy(line -> assertThat(line)
                .startsWith("[1] calculator reused completed in ")).contains("completed: 43");
        assertThat(server("runs", "get", forkId, "-o", "json").json().path("forked_from").path("run_id").asText())
                .isEqualTo(failed);
        Outcome again = server("runs", "fork", failed, "-q", "--input", "{\"expression\": \"{{steps.1.output}} + 1\"}",
                "--reason", "add instead", "--idempotency-key", "fork-" + failed);
        assertThat(again.out()).as("the same key answers the first fork").isEqualTo(forkId + "\n");
        assertThat(server("runs", "forks", failed, "-q").lines()).containsExactly(forkId);
        assertThat(server("runs", "forks", failed).lines()).hasSize(2).last().asString().startsWith(forkId
                + "  completed ");
        JsonNode forks = server("runs", "forks", failed, "-o", "json").json();
        assertThat(forks.size()).isEqualTo(1);
        assertThat(forks.get(0).path("run_id").asText()).isEqualTo(forkId);

        Outcome badStep = server("runs", "fork", failed, "--from-step", "9");
        assertThat(badStep.exit()).isEqualTo(2);
        assertThat(badStep.err()).startsWith("agent-runtime: 422 ").hasLineCount(1);
        Outcome refusedInput = server("runs", "fork", failed, "--input", "{\"formula\": \"1 + 1\"}");
        assertThat(refusedInput.exit()).isEqualTo(2);
        assertThat(refusedInput.err()).startsWith("agent-runtime: 422 ").hasLineCount(1);
        Outcome unknown = server("runs", "fork", UUID.randomUUID().toString());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("agent-runtime: 404 ");
        String running = server("run", "--detach", "wait 30 seconds").out().strip();
        Outcome notEnded = server("runs", "fork", running, "--from-step", "1");
        assertThat(notEnded.exit()).isEqualTo(1);
        assertThat(notEnded.err()).startsWith("agent-runtime: 409 ").hasLineCount(1);
        server("runs", "cancel", running);
        assertThat(server("runs", "forks", failed, "-q").lines()).as("no refusal made a fork").containsExactly(forkId);
    }

    @Test
    void quietPrintsOnlyWhatItsHelpSaysAndIsOfferedOnlyWhereItMeansSomething() {
        String done = server("run", "--detach", "calculate 2 * 21").out().strip();
        assertThat(server("runs", "watch", done, "-q").out()).isEqualTo("42\n");
        Outcome result = server("runs", "get", done, "-q");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEqualTo("42\n");
        assertThat(result.err()).isEmpty();
        String failed = runId(server("run", "calculate 5 / 0").out());
        Outcome error = server("runs", "get", failed, "--quiet");
        assertThat(error.exit()).as("the request succeeded, whatever the run's status").isZero();
        assertThat(error.out()).isEmpty();
        assertThat(error.err()).startsWith("run " + failed + " failed: step 1 (calculator) failed: division by zero")
                .hasLineCount(1);
        assertThat(server("runs", "get", failed, "-q", "-o", "json").out()).contains("\"status\" : \"failed\"");

        assertThat(server("runs", "list", "-q", "--status", "failed", "--limit", "100").lines()).contains(failed)
                .allSatisfy(line -> assertThat(line).matches("[0-9a-f-]{36}"));
        assertThat(server("tools", "-q").lines()).contains("calculator", "todo_store", "wait")
                .allSatisfy(line -> assertThat(line).doesNotContain(" "));
        server("run", "--approve-all", "add todo to water the plants");
        assertThat(server("todos", "-q", "--limit", "100").lines()).isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches("[0-9a-f-]{36}"));
        for (String command : List.of("cancel", "approve", "reject")) {
            Outcome refused = server("runs", command, done, "-q");
            assertThat(refused.exit()).as(command).isEqualTo(2);
            assertThat(refused.err()).startsWith("agent-runtime: Unknown option: '-q'");
        }
    }

    @Test
    void helpKeepsUrlsWholeAndStatesTheExitStatuses() {
        List<CommandLine> commands = new ArrayList<>();
        commands.add(Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())));
        for (int next = 0; next < commands.size(); next++) {
            commands.addAll(commands.get(next).getSubcommands().values());
        }
        for (CommandLine command : commands) {
            String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(usage.lines()).as(command.getCommandName()).allSatisfy(line ->
                    assertThat(line).hasSizeLessThanOrEqualTo(80).doesNotEndWith("http:").doesNotEndWith("https:"));
            if (command.getCommandSpec().findOption("--server") != null) {
                assertThat(usage).contains(ClientOptions.DEFAULT_SERVER);
            }
        }
        assertThat(cli("--help").out().replaceAll("\\s+", " ")).contains(Cli.EXIT_STATUS)
                .contains("130 Ctrl-C stopped waiting");
        assertThat(cli("run", "--help").out().replaceAll("\\s+", " ")).contains(Cli.EXIT_STATUS);
        assertThat(cli("runs", "--help").out().replaceAll("\\s+", " ")).contains(Cli.EXIT_STATUS);
    }

    @Test
    void noColorTakesTheColoursOutOfHelpOnATerminal() {
        // Help on a terminal is in colour; --no-color took the colours out of every output but help's.
        assertThat(onTerminal("health", "--help").out()).contains("\u001B[");
        assertThat(onTerminal("health", "--no-color", "--help").out()).doesNotContain("\u001B[").contains("--server");
        assertThat(onTerminal("runs", "list", "--help", "--no-color").out()).doesNotContain("\u001B[");
    }

    @Test
    void oneTodoIsOneTodo() throws Exception {
        StringWriter out = new StringWriter();
        RunView view = new RunView(Terminal.of(new PrintWriter(out), new PrintWriter(out), true), JSON);
        JsonNode one = JSON.readTree("{\"todos\":[{\"id\":\"t1\",\"text\":\"milk\",\"completed\":false}],"
                + "\"total_count\":1,\"completed_count\":0,\"pending_count\":1,\"offset\":0}");
        assertThat(view.todos(one)).containsExactly("t1  [ ] milk", "1 todo: 0 completed, 1 pending");
        JsonNode none = JSON.readTree("{\"todos\":[],\"total_count\":0,\"completed_count\":0,"
                + "\"pending_count\":0,\"offset\":0}");
        assertThat(view.todos(none)).containsExactly("0 todos: 0 completed, 0 pending");
    }

    @Test
    void cancelEndsARunOnceThenItIsAConflict() {
        String runId = server("run", "--detach", "wait 30 seconds").out().strip();

        assertThat(server("runs", "cancel", runId).out()).isEqualTo("run " + runId + " cancelled\n");
        Outcome again = server("runs", "cancel", runId);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("agent-runtime: 409 Conflict: run " + runId + " already ended as cancelled\n");
    }

    @Test
    void toolsTodosHealthAndTheirFormats() throws Exception {
        assertThat(server("tools", "-o", "json").json().findValuesAsText("name")).contains("calculator", "wait");
        assertThat(server("tools", "-o", "jsonl").lines()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(server("tools").lines()).anySatisfy(line -> assertThat(line).startsWith("calculator"));
        server("run", "--approve-all", "add todo to read the manual");
        assertThat(server("todos", "-o", "json").json().path("todos").findValuesAsText("text"))
                .contains("read the manual");
        assertThat(server("todos", "-o", "jsonl").lines()).allSatisfy(line -> assertThat(line).startsWith("{\"id\""));
        assertThat(server("todos").last()).matches("\\d+ todos?: \\d+ completed, \\d+ pending.*");
        Outcome health = server("health");
        assertThat(health.exit()).isZero();
        assertThat(health.lines()).contains("  check state-store: UP");
        assertThat(server("health", "-q").out()).isEmpty();
        assertThat(server("health", "-o", "jsonl").json().path("store").asText()).isEqualTo("memory");
    }

    @Test
    void badUsageAndProblemsAreOneLineWithTheirExitCodes() {
        Outcome unknownRun = server("runs", "get", UUID.randomUUID().toString());
        assertThat(unknownRun.exit()).isEqualTo(1);
        assertThat(unknownRun.err()).startsWith("agent-runtime: 404 ").endsWith(" not found\n");
        Outcome unplannable = server("run", "make me a sandwich");
        assertThat(unplannable.exit()).isEqualTo(2);
        assertThat(unplannable.err()).startsWith("agent-runtime: 422 ");

        assertThat(cli("runs", "list", "--server", "ftp://example.org").err())
                .isEqualTo("agent-runtime: --server: not an http(s) URL with a host: ftp://example.org\n");
        assertThat(cli("health", "--server", root.toString(), "--api-key", "a-key", "--token", "a-token").err())
                .contains("an API key and a token are both given");
        assertThat(server("runs", "list", "--limit", "0").err()).isEqualTo("agent-runtime: --limit: must be between "
                + "1 and 100\n");
        assertThat(server("run", "--tenant", "acme", "calculate 1 + 1").exit()).isEqualTo(2);
        for (String[] usage : List.of(new String[] {"runs"}, new String[] {"runs", "frob"}, new String[] {"-o"},
                new String[] {"completion", "fish"})) {
            Outcome refused = cli(usage);
            assertThat(refused.exit()).as(String.join(" ", usage)).isEqualTo(2);
            assertThat(refused.err()).contains("see: agent-runtime");
        }
        assertThat(cli("completion", "bash").out()).contains("_complete_agent-runtime");
        assertThat(cli("--version").out()).startsWith("agent-runtime ").contains("jar on Java");
    }

    @Test
    void aOneShotRunsOnThisProcesssEngine() throws Exception {
        Outcome completed = oneShot("run", "calculate 6 * 7");
        assertThat(completed.exit()).as(completed.err()).isZero();
        assertThat(completed.lines()).contains("[1] calculator started {\"expression\":\"6 * 7\"}");
        assertThat(completed.last()).isEqualTo("completed: 42");

        JsonNode approved = oneShot("run", "-o", "json", "--approve-all", "add todo to oil the hinge").json();
        assertThat(approved.path("status").asText()).isEqualTo("completed");
        assertThat(approved.path("approval").path("decided_by").asText()).startsWith("default/cli:");

        Outcome asked = oneShot("run", "add todo to oil the door");
        assertThat(asked.exit()).isEqualTo(3);
        assertThat(asked.err()).contains("memory only");

        Outcome unplannable = oneShot("run", "make me a sandwich");
        assertThat(unplannable.exit()).isEqualTo(2);
        assertThat(unplannable.err()).startsWith("agent-runtime: I could not map \"make me a sandwich\"");
    }

    private Outcome server(String... args) {
        String[] withServer = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--server", root.toString())).toArray(String[]::new);
        return cli(withServer);
    }

    private static Outcome cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    /** As on a terminal that takes colours (the streams are a test's). */
    private static Outcome onTerminal(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), true).execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    private Outcome oneShot(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = local.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    private static String runId(String output) {
        Matcher found = RUN_ID.matcher(output);
        assertThat(found.find()).as("a run id in: " + output).isTrue();
        return found.group(1);
    }
}
