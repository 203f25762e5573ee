package dev.agentruntime.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolContext;
import dev.agentruntime.tools.ToolSpec;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.Optional;

/**
 * One tool of an MCP server, as the runtime's tool {@code <server>__<tool>}: the server's description and input
 * schema as listed, offered only while the server is ready and only to the tenants it allows.
 */
final class McpTool implements Tool {

    private final McpServerClient server;
    private final String remoteName;
    private final ToolSpec spec;

    McpTool(McpServerClient server, String remoteName, String description, JsonNode inputSchema) {
        this.server = server;
        this.remoteName = remoteName;
        this.spec = new ToolSpec(server.spec().toolName(remoteName), description, inputSchema);
    }

    /** The tool's name on its server. */
    String remoteName() {
        return remoteName;
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public String source() {
        return server.spec().name();
    }

    @Override
    public boolean availableTo(String tenant) {
        return server.state() == McpServerState.READY && server.spec().allows(tenant);
    }

    @Override
    public boolean idempotent() {
        return server.spec().idempotent(remoteName);
    }

    @Override
    public boolean requiresApproval() {
        return server.spec().requiresApproval(remoteName);
    }

    @Override
    public Optional<Duration> timeLimit() {
        return Optional.of(server.timeout());
    }

    @Override
    public Uni<JsonNode> execute(JsonNode input, ToolContext context) {
        return server.call(this, input, context);
    }
}
