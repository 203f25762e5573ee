package dev.agentruntime.tools.mcp;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One MCP server as the health listing shows it: its state since when, the runtime's names of its tools, why it
 * last failed, and the tools it listed that are not offered (a name the runtime cannot use, a schema it cannot
 * compile, one past the cap).
 */
@RegisterForReflection
public record McpServerStatus(String name, String transport, String state, Instant since, List<String> tools,
                              @Schema(nullable = true) String lastError, List<String> skippedTools) {
}
