package dev.agentruntime.tools.mcp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code agent.mcp.*}: where the MCP servers are described, and how the runtime keeps its connections to them. */
@ConfigMapping(prefix = "agent.mcp")
public interface McpConfig {

    /**
     * {@code AGENT_MCP_CONFIG}: an {@code mcp.json} in the {@code {"mcpServers": {…}}} shape. Absent: no MCP
     * tools. A file that cannot be read or is not valid refuses start-up.
     */
    Optional<Path> config();

    /** Time a call may take when its server sets no {@code timeoutMs}. */
    @WithDefault("30s")
    Duration callTimeout();

    /** Time to start a server and finish the MCP handshake before it counts as unreachable. */
    @WithDefault("20s")
    Duration connectTimeout();

    /** First wait before reconnecting to (or restarting) a server; doubled after each failure up to the max. */
    @WithDefault("1s")
    Duration reconnectMinDelay();

    @WithDefault("60s")
    Duration reconnectMaxDelay();

    /** Tools kept per server; a server listing more is cut at this many (its status says so). */
    @WithDefault("256")
    int maxToolsPerServer();

    /**
     * {@code AGENT_MCP_MAX_MESSAGE_BYTES}: the most bytes one message from an MCP server may have (a call's answer, a
     * page of its tool list), over stdio or HTTP. A larger one is not read: the call fails saying so. Well above a
     * step's output cap, since an answer carries its text escaped, and above the largest tool list kept.
     */
    @WithDefault("4194304")
    int maxMessageBytes();

    /** The largest {@code mcp.json} read. */
    @WithDefault("1048576")
    long maxConfigBytes();
}
