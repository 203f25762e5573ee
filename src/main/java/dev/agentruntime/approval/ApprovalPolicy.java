package dev.agentruntime.approval;

import dev.agentruntime.tools.Tool;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether a step needs a person's approval before it runs: its tool matches {@code AGENT_APPROVAL_TOOLS} (an exact
 * name, a prefix ending in {@code *}, or {@code *} for every tool), or its MCP server asks for it in mcp.json. A
 * pattern that can match nothing is refused at start-up rather than silently approving nothing.
 */
@Startup
@ApplicationScoped
public class ApprovalPolicy {

    private static final Pattern PATTERN = Pattern.compile("\\*|[A-Za-z][A-Za-z0-9_.-]{0,127}\\*?");

    private final List<String> patterns;
    private final Duration timeout;

    public ApprovalPolicy(ApprovalConfig config) {
        this.patterns = config.tools().orElse(List.of()).stream().map(String::strip).filter(p -> !p.isEmpty())
                .toList();
        for (String pattern : patterns) {
            if (!PATTERN.matcher(pattern).matches()) {
                throw new ConfigurationException("AGENT_APPROVAL_TOOLS: '" + pattern + "' is not a tool name, a "
                        + "prefix ending in '*' (memory__*), or '*'");
            }
        }
        if (config.timeout().isNegative() || config.timeout().isZero()) {
            throw new ConfigurationException("AGENT_APPROVAL_TIMEOUT: must be positive, not " + config.timeout());
        }
        this.timeout = config.timeout();
    }

    public boolean requires(Tool tool) {
        return tool.requiresApproval() || patterns.stream().anyMatch(pattern -> matches(pattern, tool.name()));
    }

    /** How long a request waits before its run ends {@code rejected} ({@code approval_expired}). */
    public Duration timeout() {
        return timeout;
    }

    static boolean matches(String pattern, String tool) {
        return pattern.endsWith("*") ? tool.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(tool);
    }
}
