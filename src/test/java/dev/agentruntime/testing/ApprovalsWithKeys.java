package dev.agentruntime.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.time.Duration;
import java.util.Map;

/**
 * Todo steps need approval, two tenants with API keys, and requests expire soon: one test profile for every
 * in-process test of approvals, keys or both (the approval contracts, the MCP server, the generated client). Each
 * distinct profile (with its test resources) is one more build and start of the application in the suite.
 */
public class ApprovalsWithKeys implements QuarkusTestProfile {

    public static final String ACME = "acme-key-approval-0123456789";
    public static final String GLOBEX = "globex-key-approval-0123456789";
    /** Long enough that a loaded CI machine decides (or reads the gauge) before a request expires. */
    public static final Duration TIMEOUT = Duration.ofSeconds(6);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("agent.approval.tools", "todo_store", "agent.approval.timeout", TIMEOUT.toMillis() + "ms",
                "agent.approval.expiry-check-interval", "200ms", "agent.auth.mode", "api-key",
                "agent.auth.api-keys", "acme=" + ACME + ",globex=" + GLOBEX);
    }
}
