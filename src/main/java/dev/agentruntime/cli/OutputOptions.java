package dev.agentruntime.cli;

import picocli.CommandLine.Option;

/** How a command prints: for people or for scripts, all of it or only the result, with colours or without. */
final class OutputOptions {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), json (one document, the HTTP API's) or jsonl (one event or item per line)")
    Output output;

    @Option(names = {"-q", "--quiet"}, description = "Print only the result (text): no plan, no steps")
    boolean quiet;

    @Option(names = "--no-color", description = "No colours (also when NO_COLOR is set, or off a terminal)")
    boolean noColor;

    private Terminal terminal;

    /** This process's terminal, as these options want it; one per command. */
    Terminal terminal() {
        if (terminal == null) {
            terminal = Terminal.system(noColor);
        }
        return terminal;
    }
}
