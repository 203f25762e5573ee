package dev.agentruntime.tools.mcp;

import java.util.Locale;

/** How one {@code tools/call} ended: the {@code outcome} tag of {@code agent.mcp.calls} and its span status. */
public enum McpCallOutcome {
    OK,
    /** The tool ran and reported an error ({@code isError}). */
    TOOL_ERROR,
    /** The server refused the request with a JSON-RPC error (unknown tool, invalid arguments…). */
    PROTOCOL_ERROR,
    /** No answer within the server's time: the call was cancelled on the server. */
    TIMEOUT,
    /** The run was cancelled (or its step stopped) during the call: the call was cancelled on the server. */
    CANCELLED,
    /** The server was not connected; nothing was sent. */
    UNAVAILABLE,
    /** The connection broke during the call (the process exited, the HTTP request failed). */
    CONNECTION_LOST,
    /** The answer was larger than {@code agent.mcp.max-message-bytes}: it was dropped unread. */
    TOO_LARGE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
