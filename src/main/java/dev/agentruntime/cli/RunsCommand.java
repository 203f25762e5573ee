package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;

/** {@code runs …}: the runs on a server, read, followed, cancelled, decided and forked. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Read, follow, cancel, approve, reject or fork the runs on a server.",
        footer = {"", "Examples:", "  agent-runtime runs list --limit 5",
                "  agent-runtime runs watch RUN_ID",
                "  agent-runtime runs approve RUN_ID --comment \"checked\"",
                "  agent-runtime runs fork RUN_ID --reason \"retry after the fix\"", "", Cli.EXIT_STATUS})
final class RunsCommand {

    /** Pages read to find runs of one status the server cannot filter by: the newest 1,000 runs. */
    static final int SCAN_PAGES = 10;
    private static final int PAGE = 100;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The runs, newest first.",
            footer = {"", "Examples:", "  agent-runtime runs list", "  agent-runtime runs list --status failed -o json",
                    "  agent-runtime runs list --status awaiting_approval"})
    int list(@Mixin ClientOptions client, @Mixin OutputOptions output,
             @Option(names = "--status", paramLabel = "STATUS", description = "Only runs with this status: pending, "
                     + "running, awaiting_approval, completed, failed, cancelled, rejected (other than "
                     + "awaiting_approval: among the newest 1,000)") RunStatus status,
             @Option(names = "--limit", defaultValue = "10", description = "At most this many, 1-100 (default 10)")
             int limit,
             @Option(names = {"-q", "--quiet"}, description = "Print only the run ids (text), one per line")
             boolean quiet) {
        requireLimit(limit);
        ApiClient api = client.client();
        ArrayNode runs;
        if (status == null || status == RunStatus.AWAITING_APPROVAL) {
            runs = (ArrayNode) api.get("/api/v1/runs?limit=" + limit
                    + (status == null ? "" : "&status=" + status.wireName()));
        } else {
            runs = api.json().createArrayNode();
            int offset = 0;
            for (int page = 0; page < SCAN_PAGES && runs.size() < limit; page++) {
                JsonNode found = api.get("/api/v1/runs?limit=" + PAGE + "&offset=" + offset);
                if (found.isEmpty()) {
                    break;
                }
                for (JsonNode run : found) {
                    if (runs.size() < limit && status.wireName().equals(run.path("status").asText())) {
                        runs.add(run);
                    }
                }
                offset += found.size();
            }
        }
        Cli.print(output, api.json(), runs, quiet ? Cli.values(runs, "run_id") : output.view(api.json()).runs(runs),
                runs);
        return ExitCode.OK.code;
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "A run: its plan, each step with its input, attempts, duration, output or "
            + "error, and its result.",
            footer = {"", "Examples:", "  agent-runtime runs get RUN_ID",
                    "  agent-runtime runs get RUN_ID -o json | jq .result"})
    int get(@Mixin ClientOptions client, @Mixin OutputOptions output,
            @Parameters(paramLabel = "RUN_ID") String runId,
            @Option(names = {"-q", "--quiet"}, description = "Print only the result (text); a run that did not "
                    + "complete says on stderr how it ended, or where it stands") boolean quiet) {
        ApiClient api = client.client();
        JsonNode run = new RemoteSession(api, client.serverOption()).run(runId);
        RunView view = output.view(api.json());
        if (quiet && output.output == Output.TEXT) {
            view.printResult(runId, run);
        } else {
            Cli.print(output, api.json(), run, view.run(run), null);
        }
        return ExitCode.OK.code;
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = {"Follow a run's events until it ends (from its start, or after "
            + "--last-event-id), resuming with Last-Event-ID when the connection drops. Exits like run.",
            "Ctrl-C stops watching; the run goes on."},
            footer = {"", "Examples:", "  agent-runtime runs watch RUN_ID",
                    "  agent-runtime runs watch RUN_ID -o jsonl --last-event-id 1733450000000-3"})
    int watch(@Mixin ClientOptions client, @Mixin OutputOptions output,
              @Parameters(paramLabel = "RUN_ID") String runId,
              @Option(names = "--last-event-id", paramLabel = "ID", description = "Start after this event")
              String after,
              @Option(names = "--approve-all", description = "Approve every request, as it comes") boolean approveAll,
              @Option(names = "--wait-approval", description = "Without a terminal: wait for a decision taken "
                      + "elsewhere instead of exiting with 3") boolean waitApproval,
              @Option(names = {"-q", "--quiet"}, description = OutputOptions.QUIET_RESULT) boolean quiet) {
        ApiClient api = client.client();
        RemoteSession session = new RemoteSession(api, client.serverOption());
        Terminal terminal = output.terminal();
        if (output.output == Output.TEXT && !quiet) {
            output.view(api.json()).plan(session.run(runId)).forEach(terminal::println);
        }
        return new RunFollower(session, terminal, api.json(),
                new RunFollower.Settings(output.output, quiet, approveAll, waitApproval, false))
                .follow(runId, after).code;
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a run: a pending one never starts, a running one stops at its "
            + "current step; answers once it has ended.",
            footer = {"", "Examples:", "  agent-runtime runs cancel RUN_ID"})
    int cancel(@Mixin ClientOptions client, @Mixin OutputOptions output,
               @Parameters(paramLabel = "RUN_ID") String runId) {
        ApiClient api = client.client();
        JsonNode run = new RemoteSession(api, client.serverOption()).cancel(runId);
        String status = run.path("status").asText();
        Cli.print(output, api.json(), run, List.of("run " + runId + " " + (status.equals("cancelled")
                ? "cancelled" : "is being cancelled (still " + status + ")")), null);
        return ExitCode.OK.code;
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve the step a run waits on: it runs with exactly the input shown.",
            footer = {"", "Examples:", "  agent-runtime runs approve RUN_ID --comment \"looks right\"",
                    "  agent-runtime runs approve RUN_ID --input-hash HASH   # that request only"})
    int approve(@Mixin ClientOptions client, @Mixin OutputOptions output, @Mixin Decision decision,
                @Parameters(paramLabel = "RUN_ID") String runId) {
        return decide(true, client, output, runId, decision);
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Reject the step a run waits on: it is skipped and the run ends rejected.",
            footer = {"", "Examples:", "  agent-runtime runs reject RUN_ID --comment \"wrong amount\""})
    int reject(@Mixin ClientOptions client, @Mixin OutputOptions output, @Mixin Decision decision,
               @Parameters(paramLabel = "RUN_ID") String runId) {
        return decide(false, client, output, runId, decision);
    }

    @Command(name = "fork", mixinStandardHelpOptions = true,
            description = {"Fork an ended run: a new run with the same plan, where the steps before --from-step "
                    + "that completed keep their recorded outputs (reused, not run again) and that step and the "
                    + "ones after it run anew. Prints the new run as runs get does.",
                    "Without --from-step: from the first failed, skipped or interrupted step."},
            footer = {"", "Examples:", "  agent-runtime runs fork RUN_ID",
                    "  agent-runtime runs fork RUN_ID --from-step 2 --input '{\"expression\": \"1 + 1\"}'",
                    "  agent-runtime runs fork RUN_ID --from-step 2 --input @input.json --reason \"fixed the text\"",
                    "  agent-runtime runs watch $(agent-runtime runs fork RUN_ID -q)",
                    "", "Exit status: 0 forked, 1 the run is unknown (404) or has not ended (409), 2 bad usage or "
                    + "a fork the server cannot make (422: a bad step, an input the tool refuses, a tool gone)."})
    int fork(@Mixin ClientOptions client, @Mixin OutputOptions output,
             @Parameters(paramLabel = "RUN_ID") String runId,
             @Option(names = "--from-step", paramLabel = "N", description = "The step to run anew (default: the "
                     + "first failed, skipped or interrupted one)") Integer fromStep,
             @Option(names = "--input", paramLabel = "JSON|@FILE", description = "The input of that step instead "
                     + "of the planned one: a JSON object, or @ and a file holding one; {{steps.K.output}} "
                     + "references resolve against the reused steps") String input,
             @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept with the fork)") String reason,
             @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Fork at most once for this "
                     + "key; the same key again answers the first fork") String idempotencyKey,
             @Option(names = {"-q", "--quiet"}, description = "Print only the new run's id (text)") boolean quiet) {
        if (fromStep != null && fromStep < 1) {
            throw new CliException(ExitCode.USAGE, "--from-step: must be 1 or more");
        }
        ApiClient api = client.client();
        // Checked before anything is sent: a typo in --input is the caller's, not the server's 400.
        ObjectNode body = api.json().createObjectNode();
        if (fromStep != null) {
            body.put("from_step", fromStep);
        }
        if (input != null) {
            body.set("tool_input", JsonArgument.object("--input", input, api.json()));
        }
        if (reason != null) {
            body.put("reason", reason);
        }
        JsonNode fork = api.post("/api/v1/runs/" + ApiClient.query(runId) + "/fork", body,
                idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
        if (quiet && output.output == Output.TEXT) {
            output.terminal().println(fork.path("run_id").asText());
        } else {
            Cli.print(output, api.json(), fork, output.view(api.json()).run(fork), null);
        }
        return ExitCode.OK.code;
    }

    @Command(name = "forks", mixinStandardHelpOptions = true,
            description = "The runs forked from a run, newest first.",
            footer = {"", "Examples:", "  agent-runtime runs forks RUN_ID", "  agent-runtime runs forks RUN_ID -q"})
    int forks(@Mixin ClientOptions client, @Mixin OutputOptions output,
              @Parameters(paramLabel = "RUN_ID") String runId,
              @Option(names = "--limit", defaultValue = "10", description = "At most this many, 1-100 (default 10)")
              int limit,
              @Option(names = {"-q", "--quiet"}, description = "Print only the forks' run ids (text), one per line")
              boolean quiet) {
        requireLimit(limit);
        ApiClient api = client.client();
        JsonNode forks = api.get("/api/v1/runs/" + ApiClient.query(runId) + "/forks?limit=" + limit);
        Cli.print(output, api.json(), forks, quiet ? Cli.values(forks, "run_id")
                : output.view(api.json()).runs(forks), forks);
        return ExitCode.OK.code;
    }

    /** A page's size as the API takes it: refused here, with the option's name, rather than by the server. */
    private static void requireLimit(int limit) {
        if (limit < 1 || limit > PAGE) {
            throw new CliException(ExitCode.USAGE, "--limit: must be between 1 and " + PAGE);
        }
    }

    /** What approve and reject take besides the run. */
    static final class Decision {
        @Option(names = "--comment", paramLabel = "TEXT", description = "Why (kept with the decision)")
        String comment;

        @Option(names = "--input-hash", paramLabel = "HASH", description = "Decide only the request with this "
                + "input_hash (default: the pending one, shown before deciding)")
        String inputHash;
    }

    /** Shows what is being decided (the tool, the exact input, the hash), then decides it. */
    private static int decide(boolean approve, ClientOptions client, OutputOptions output, String runId,
                              Decision decision) {
        ApiClient api = client.client();
        RemoteSession session = new RemoteSession(api, client.serverOption());
        Terminal terminal = output.terminal();
        RunView view = output.view(api.json());
        JsonNode run = session.run(runId);
        JsonNode approval = run.path("approval");
        boolean pending = run.path("status").asText().equals(RunStatus.AWAITING_APPROVAL.wireName())
                && "pending".equals(approval.path("decision").asText());
        if (decision.inputHash == null && !pending) {
            throw new CliException(ExitCode.FAILED, "run " + runId + " is not awaiting approval (it is "
                    + run.path("status").asText() + ")");
        }
        String hash = decision.inputHash == null ? approval.path("input_hash").asText() : decision.inputHash;
        if (!pending) {
            terminal.error("run " + runId + " is not awaiting approval (it is " + run.path("status").asText()
                    + "): sending input_hash " + hash + " as given");
        } else if (!hash.equals(approval.path("input_hash").asText())) {
            // Said before sending: the server refuses a hash that is not the pending request's (409).
            terminal.error("input_hash " + hash + " is not the pending request's (" + approval.path("input_hash")
                    .asText() + ")");
        }
        if (output.output == Output.TEXT && pending) {
            terminal.println((approve ? "approving " : "rejecting ") + view.request(approval, hash));
        }
        JsonNode decided = approve ? session.approve(runId, hash, decision.comment)
                : session.reject(runId, hash, decision.comment);
        Cli.print(output, api.json(), decided, List.of((approve ? "approved: run " + runId + " is "
                : "rejected: run " + runId + " is ") + decided.path("status").asText()), null);
        return ExitCode.OK.code;
    }
}
