package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The command line: {@code agent-runtime COMMAND}. {@code serve} starts the service; {@code run} runs a prompt (in this
 * process, or on a server); the others are clients of a running server and start no engine. Parsing is picocli's;
 * every failure ends as one line on stderr and an {@link ExitCode}.
 */
@Command(name = "agent-runtime", mixinStandardHelpOptions = true, versionProvider = BuildInfo.class,
        subcommands = {RunCommand.class, RunsCommand.class},
        description = {"Turns a prompt into a plan of tool calls and executes it reliably.",
                "With no command it serves: the HTTP API and console on :8080, probes and metrics on :9000."},
        footer = {"", "Examples:",
                "  agent-runtime                      serve (as containers and Kubernetes do)",
                "  agent-runtime run \"calculate 100 / 4 and add the result as a todo\"",
                "  export AGENT_SERVER=http://localhost:8080 AGENT_API_KEY=...",
                "  agent-runtime run --detach \"wait 5 seconds\"",
                "  agent-runtime runs list --status awaiting_approval",
                "  source <(agent-runtime completion bash)",
                "", Cli.EXIT_STATUS})
public final class Cli implements Callable<Integer> {

    /** The rule of exit statuses, as every command's help states it. */
    static final String EXIT_STATUS = "Exit status: 0 done, 1 the server refused or could not be reached, "
            + "2 bad usage or a prompt that cannot be planned, 130 Ctrl-C stopped waiting (runs watch, or a second "
            + "Ctrl-C in run). run and runs watch exit by how the run ends: 0 completed, 1 failed, 3 rejected, "
            + "cancelled or awaiting a decision. health exits 1 when the server is DOWN; runs get exits 0 whatever "
            + "the run's status.";

    /** The shells {@code completion} writes a script for. */
    @RegisterForReflection
    enum Shell { BASH, ZSH }

    @Spec
    CommandSpec spec;

    /** Parses and runs {@code args} on this process's streams; answers the process's exit status. */
    static int execute(String... args) {
        return commandLine(stream(FileDescriptor.out), stream(FileDescriptor.err)).execute(args);
    }

    /** UTF-8 whatever the platform's default: prompts, todos and results may be in any language. */
    static PrintWriter stream(FileDescriptor descriptor) {
        return new PrintWriter(new OutputStreamWriter(new FileOutputStream(descriptor), StandardCharsets.UTF_8),
                true);
    }

    /** The options a one-shot {@code run} was given, parsed again inside the engine exactly as before it started. */
    static RunCommand parsedRun(CommandLine line, String... args) {
        return (RunCommand) line.parseArgs(args).subcommand().commandSpec().userObject();
    }

    /** The command line writing to {@code out} and {@code err}, in colour if this process's terminal takes it. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, Terminal.colourWanted(false));
    }

    /** The same, with help in colour if {@code colour}. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean colour) {
        CommandLine line = new CommandLine(new Cli()).setCaseInsensitiveEnumValuesAllowed(true);
        // No picocli @argument files: "--input @input.json" names a JSON file (runs fork), and a prompt may start
        // with "@" ("@team calculate 1 + 1"); picocli would split such a file into arguments.
        line.setExpandAtFiles(false);
        line.setOut(out);
        line.setErr(err);
        line.setColorScheme(CommandLine.Help.defaultColorScheme(
                colour ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        // The commands read --no-color as they print; help is printed before any of them runs, in this scheme.
        line.setExecutionStrategy(parsed -> {
            if (noColour(parsed)) {
                parsed.asCommandLineList().forEach(command -> command.setColorScheme(
                        CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF)));
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        line.setExecutionExceptionHandler((failure, command, parsed) -> {
            if (failure instanceof CliException known) {
                command.getErr().println("agent-runtime: " + known.getMessage());
                return known.exit.code;
            }
            command.getErr().println("agent-runtime: unexpected failure: " + failure);
            return ExitCode.FAILED.code;
        });
        line.setParameterExceptionHandler((invalid, args) -> {
            CommandLine command = invalid.getCommandLine();
            command.getErr().println("agent-runtime: " + invalid.getMessage());
            command.getErr().println("see: " + command.getCommandSpec().qualifiedName() + " --help");
            return ExitCode.USAGE.code;
        });
        return line;
    }

    /** Whether a command of the line was given {@code --no-color}. */
    private static boolean noColour(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult command = parsed; command != null; command = command.subcommand()) {
            if (command.hasMatchedOption("--no-color")) {
                return true;
            }
        }
        return false;
    }

    /** No command, but options only: say what the commands are. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE.code;
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Serve the HTTP API, console and MCP server (the default with no "
            + "arguments): configured by the environment exactly as without a command."},
            footer = {"", "Examples:", "  agent-runtime serve",
                    "  AGENT_STORE=redis QUARKUS_REDIS_HOSTS=redis://redis:6379 agent-runtime serve"})
    int serve() {
        Quarkus.run();
        return ExitCode.OK.code;
    }

    @Command(name = "tools", mixinStandardHelpOptions = true,
            description = "List the tools the server offers: name, source, description.",
            footer = {"", "Examples:", "  agent-runtime tools --server http://localhost:8080",
                    "  agent-runtime tools -o json | jq -r '.[].name'"})
    int tools(@Mixin ClientOptions client, @Mixin OutputOptions output,
              @Option(names = {"-q", "--quiet"}, description = "Print only the tools' names (text), one per line")
              boolean quiet) {
        ApiClient api = client.client();
        JsonNode tools = api.health().path("tools");
        print(output, api.json(), tools, quiet ? values(tools, "name") : output.view(api.json()).tools(tools), tools);
        return ExitCode.OK.code;
    }

    @Command(name = "todos", mixinStandardHelpOptions = true,
            description = "List the todos of the caller's tenant, oldest first, with the counts.",
            footer = {"", "Examples:", "  agent-runtime todos --limit 50", "  agent-runtime todos -o jsonl"})
    int todos(@Mixin ClientOptions client, @Mixin OutputOptions output,
              @Option(names = "--limit", defaultValue = "20", description = "Todos on the page, 1-100 (default 20)")
              int limit,
              @Option(names = "--offset", defaultValue = "0", description = "Todos to skip (default 0)") int offset,
              @Option(names = {"-q", "--quiet"}, description = "Print only the todos' ids (text), one per line")
              boolean quiet) {
        ApiClient api = client.client();
        JsonNode page = api.get("/api/v1/todos?limit=" + limit + "&offset=" + offset);
        print(output, api.json(), page, quiet ? values(page.path("todos"), "id")
                : output.view(api.json()).todos(page), page.path("todos"));
        return ExitCode.OK.code;
    }

    @Command(name = "health", mixinStandardHelpOptions = true,
            description = "The server's health: status, version, store, planner, checks; exits 1 "
            + "when it is DOWN.",
            footer = {"", "Examples:", "  agent-runtime health --server http://localhost:8080",
                    "  agent-runtime health -q && echo ready"})
    int health(@Mixin ClientOptions client, @Mixin OutputOptions output,
               @Option(names = {"-q", "--quiet"}, description = "Print nothing (text): the exit status says whether "
                       + "the server is UP") boolean quiet) {
        ApiClient api = client.client();
        JsonNode health = api.health();
        if (!quiet || output.output != Output.TEXT) {
            print(output, api.json(), health, output.view(api.json()).health(health), null);
        }
        return "UP".equals(health.path("status").asText()) ? ExitCode.OK.code : ExitCode.FAILED.code;
    }

    @Command(name = "completion", mixinStandardHelpOptions = true,
            description = "Print a completion script for bash or zsh (the same script: zsh "
            + "runs it through bashcompinit).",
            footer = {"", "Examples:", "  source <(agent-runtime completion bash)     # this shell",
                    "  agent-runtime completion bash > /etc/bash_completion.d/agent-runtime",
                    "  source <(agent-runtime completion zsh)      # after compinit"})
    int completion(@Parameters(paramLabel = "SHELL", description = "bash or zsh") Shell shell) {
        spec.commandLine().getOut().print(AutoComplete.bash(spec.name(), spec.commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCode.OK.code;
    }

    /** Each item's {@code field}: what {@code -q} prints of a list, one per line. */
    static List<String> values(JsonNode items, String field) {
        List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(item.path(field).asText()));
        return values;
    }

    /**
     * {@code document} as JSON, or its {@code items} one per line (jsonl; the document itself when it has no items),
     * or {@code lines} for people.
     */
    static void print(OutputOptions output, ObjectMapper json, JsonNode document, Iterable<String> lines,
                      JsonNode items) {
        Terminal terminal = output.terminal();
        switch (output.output) {
            case TEXT -> lines.forEach(terminal::println);
            case JSON -> terminal.println(Json.pretty(json, document));
            case JSONL -> {
                if (items == null) {
                    terminal.println(Json.compact(json, document));
                } else {
                    items.forEach(item -> terminal.println(Json.compact(json, item)));
                }
            }
        }
    }
}
