package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How a command prints: for people or for scripts, all of it or only the result, with colours or without. */
final class OutputOptions {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), json (one document, the HTTP API's) or jsonl (one event or item per line)")
    Output output;

    @Option(names = {"-q", "--quiet"}, description = "Print only the result (text): no plan, no steps")
    boolean quiet;

    @Option(names = "--no-color", description = "No colours (also when NO_COLOR is set, or off a terminal)")
    boolean noColor;

    /** The command these options belong to: its streams are where the command prints. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private Terminal terminal;

    /** How runs and pages read for people, on this terminal. */
    RunView view(ObjectMapper json) {
        return new RunView(terminal(), json);
    }

    /** The terminal as these options want it; one per command. */
    Terminal terminal() {
        if (terminal == null) {
            terminal = Terminal.of(command.commandLine().getOut(), command.commandLine().getErr(), noColor);
        }
        return terminal;
    }
}
