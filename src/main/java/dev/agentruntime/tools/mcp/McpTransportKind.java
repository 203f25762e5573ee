package dev.agentruntime.tools.mcp;

import java.util.Locale;

/** How the runtime reaches an MCP server. */
public enum McpTransportKind {
    /** A local process the runtime starts, speaking JSON-RPC on its stdin and stdout. */
    STDIO,
    /** A remote server's Streamable HTTP endpoint. */
    HTTP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
