package dev.agentruntime.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * {@code agent.mcp-server.*}: what one client may make the runtime's own MCP server ({@code /mcp}) keep. Each
 * session holds its client's {@code initialize} data until it is ended ({@code DELETE}) or idles out; without these
 * bounds 490 sessions of a 900 KB {@code initialize} each filled a 256 MiB heap.
 */
@ConfigMapping(prefix = "agent.mcp-server")
public interface McpServerConfig {

    /** Sessions open at once on this instance, all tenants together (Streamable HTTP and legacy SSE). */
    @WithDefault("1000")
    int maxSessions();

    /** Sessions one tenant may have open at once on this instance. */
    @WithDefault("100")
    int maxSessionsPerTenant();

    /** The largest {@code initialize} request: what a session keeps of its client. */
    @WithDefault("16384")
    int maxSessionBytes();

    /** The largest body of any request to {@code /mcp} (a {@code run_prompt} call needs about 24 KiB at most). */
    @WithDefault("65536")
    int maxBodyBytes();

    /** Event streams ({@code GET /mcp}) one session may hold open at once. */
    @WithDefault("2")
    int maxStreamsPerSession();

    /**
     * A session that sees no request for this long is ended ({@code quarkus.mcp.server.connection-idle-timeout}
     * follows it; the default is in application.properties).
     */
    Duration sessionIdleTimeout();
}
