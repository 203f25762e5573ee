package dev.agentruntime.approval;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code agent.approval.*}: which steps wait for a person, and for how long. */
@ConfigMapping(prefix = "agent.approval")
public interface ApprovalConfig {

    /**
     * {@code AGENT_APPROVAL_TOOLS}: tool names or prefix patterns ({@code todo_store}, {@code memory__*}, {@code *})
     * whose steps need approval. Absent: none (an MCP server may still ask for some of its tools in mcp.json).
     */
    Optional<List<String>> tools();

    /** {@code AGENT_APPROVAL_TIMEOUT}: an unanswered request then ends its run {@code rejected}. */
    @WithDefault("24h")
    Duration timeout();

    /** How often each instance looks for requests whose time is up. */
    @WithDefault("1s")
    Duration expiryCheckInterval();
}
