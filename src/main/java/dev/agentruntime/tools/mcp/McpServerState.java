package dev.agentruntime.tools.mcp;

import java.util.Locale;

/** Where the connection to one MCP server stands, as the health listing shows it. */
public enum McpServerState {
    /** Starting the server or its handshake; its tools are not offered yet. */
    CONNECTING,
    /** Connected and its tools listed: they are offered and called. */
    READY,
    /** Unreachable, exited or failing: its tools are not offered, and it is retried with backoff. */
    UNAVAILABLE,
    /** Switched off in {@code mcp.json} ({@code "disabled": true}), or the runtime is shutting down. */
    STOPPED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
