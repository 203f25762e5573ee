package dev.agentruntime.tools;

import dev.agentruntime.run.ToolException;

import java.util.List;

/** The input does not match the tool's schema; {@code problems} name each offending field. */
public class InvalidToolInputException extends ToolException {

    private final List<String> problems;

    public InvalidToolInputException(String toolName, List<String> problems) {
        super("invalid input for tool '" + toolName + "': " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
