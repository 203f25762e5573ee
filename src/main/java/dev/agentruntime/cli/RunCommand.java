package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code run PROMPT}: plans and executes a prompt and follows it to its end. With a server ({@code --server} or
 * {@code AGENT_SERVER}) the server runs it; without one the engine starts in this process for this one run
 * ({@link LocalRun}), opening no port.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a prompt: print the plan, each step as it starts and ends, then the result.",
                "Without a server the engine runs in this process (embedded store, or AGENT_STORE=redis to share "
                        + "state with servers) and opens no port. Ctrl-C cancels the run."},
        footer = {"", "Examples:",
                "  agent-runtime run \"calculate 100 / 4 and add the result as a todo\"",
                "  agent-runtime run -q \"calculate 6 * 7\"                  # prints 42",
                "  agent-runtime run -o jsonl \"wait 2 seconds then calculate 1 + 1\" | jq .event",
                "  agent-runtime run --server http://localhost:8080 --detach \"calculate 1 + 1\"",
                "  agent-runtime run --approve-all \"add todo to call Bob\"",
                "", Cli.EXIT_STATUS})
public final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "What to do (several words are joined)")
    List<String> prompt;

    @Mixin
    ClientOptions client;

    @Mixin
    OutputOptions output;

    @Option(names = {"-q", "--quiet"}, description = OutputOptions.QUIET_RESULT)
    boolean quiet;

    @Option(names = "--detach", description = "With a server: print the run id once it is planned, and return")
    boolean detach;

    @Option(names = "--approve-all", description = "Approve every step that asks for approval, as it asks")
    boolean approveAll;

    @Option(names = "--wait-approval",
            description = "Without a terminal: wait for a decision taken elsewhere instead of exiting with 3")
    boolean waitApproval;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Run the prompt at most once for this key; the same key again follows the first run")
    String idempotencyKey;

    @Option(names = "--tenant", paramLabel = "TENANT",
            description = "In this process: the tenant the run belongs to (default: default); a server takes it "
                    + "from the credentials")
    String tenant;

    @Option(names = {"-v", "--verbose"}, description = "In this process: the engine's logs on stderr")
    boolean verbose;

    @Spec
    CommandSpec spec;

    String promptText() {
        return String.join(" ", prompt);
    }

    String tenant() {
        return tenant == null ? dev.agentruntime.run.Run.DEFAULT_TENANT : tenant;
    }

    RunFollower.Settings settings() {
        return new RunFollower.Settings(output.output, quiet, approveAll, waitApproval, true);
    }

    @Override
    public Integer call() {
        if (client.server().isEmpty()) {
            if (detach) {
                throw new CliException(ExitCode.USAGE, "--detach needs a server (--server or AGENT_SERVER): in "
                        + "this process a run lives only as long as the command");
            }
            return LocalRun.launch(spec.root().commandLine().getParseResult().originalArgs()
                    .toArray(String[]::new), verbose);
        }
        if (tenant != null) {
            throw new CliException(ExitCode.USAGE, "--tenant applies in this process only: a server takes the "
                    + "tenant from the credentials");
        }
        ApiClient api = client.client();
        JsonNode created = api.post("/api/v1/runs", api.json().createObjectNode().put("prompt", promptText()),
                idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
        Terminal terminal = output.terminal();
        if (detach) {
            switch (output.output) {
                case TEXT -> terminal.println(created.path("run_id").asText());
                case JSON -> terminal.println(Json.pretty(api.json(), created));
                case JSONL -> terminal.println(Json.compact(api.json(), created));
            }
            return ExitCode.OK.code;
        }
        return new RunFollower(new RemoteSession(api, client.serverOption()), terminal, api.json(), settings())
                .start(created).code;
    }
}
