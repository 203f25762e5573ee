package dev.agentruntime.tools;

import dev.agentruntime.run.ToolException;

import java.util.List;

/** The input does not match the tool's schema; the message names each offending field. */
public class InvalidToolInputException extends ToolException {

    public InvalidToolInputException(String toolName, List<String> problems) {
        super("invalid input for tool '" + toolName + "': " + String.join("; ", problems));
    }
}
