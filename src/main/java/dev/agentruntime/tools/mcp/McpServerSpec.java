package dev.agentruntime.tools.mcp;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One server of {@code mcp.json}, checked: how to reach it ({@code command}/{@code args}/{@code env} or
 * {@code url}/{@code headers}, with {@code ${VAR}} already taken from the environment) and the runtime's settings
 * for it. The runtime's tool for server {@code s}'s tool {@code t} is named {@code s__t}.
 *
 * @param tenants      empty: every tenant may use the server's tools
 * @param allowTools   empty: every tool the server lists, except {@code denyTools}
 * @param idempotentTools the tools that may be called again after a failure that may have had an effect;
 *                     {@code "*"} for all
 * @param approvalTools the tools whose calls a person must approve first; {@code "*"} for all
 */
public record McpServerSpec(String name, McpTransportKind transport, List<String> command, Map<String, String> env,
                            URI url, Map<String, String> headers, Optional<Duration> timeout,
                            Set<String> idempotentTools, Set<String> tenants, Set<String> allowTools,
                            Set<String> denyTools, Set<String> approvalTools, boolean disabled) {

    /** What separates the server's name from its tool's in the runtime's tool name. */
    public static final String SEPARATOR = "__";

    public boolean offers(String tool) {
        return (allowTools.isEmpty() || allowTools.contains(tool)) && !denyTools.contains(tool);
    }

    public boolean idempotent(String tool) {
        return idempotentTools.contains("*") || idempotentTools.contains(tool);
    }

    /** The calls a person must approve first ({@code "*"}: all of the server's). */
    public boolean requiresApproval(String tool) {
        return approvalTools.contains("*") || approvalTools.contains(tool);
    }

    public boolean allows(String tenant) {
        return tenants.isEmpty() || tenants.contains(tenant);
    }

    public String toolName(String remoteName) {
        return name + SEPARATOR + remoteName;
    }
}
