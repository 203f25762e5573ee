package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How a command prints: for people or for scripts, with colours or without. {@code -q} is not here: what "quiet"
 * keeps differs by command, so each command that offers it declares it with its own help.
 */
final class OutputOptions {

    /** {@code -q} of the commands that follow a run to its end. */
    static final String QUIET_RESULT = "Print only the result (text): no plan, no steps; a run that did not "
            + "complete says how it ended on stderr";

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), json (one document, the HTTP API's) or jsonl (one event or item per line)")
    Output output;

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
