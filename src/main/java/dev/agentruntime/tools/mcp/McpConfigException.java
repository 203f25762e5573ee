package dev.agentruntime.tools.mcp;

/** {@code mcp.json} cannot be used; the message names the file and the field, for the start-up refusal. */
public class McpConfigException extends RuntimeException {

    public McpConfigException(String message) {
        super(message);
    }
}
