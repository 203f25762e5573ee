package dev.agentruntime.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Guards the MCP endpoint ({@code quarkus.http.auth.permission.mcp}): with authentication on, every MCP request
 * needs the same credentials as the HTTP API (an anonymous one gets the usual 401 challenge); with it off, anyone is
 * tenant {@code default}. The MCP tools then act for the identity's tenant.
 */
@ApplicationScoped
public class McpAccessPolicy implements HttpSecurityPolicy {

    private final AuthConfig config;

    public McpAccessPolicy(AuthConfig config) {
        this.config = config;
    }

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
                                            AuthorizationRequestContext context) {
        if (config.mode() == AuthConfig.Mode.OFF) {
            return Uni.createFrom().item(CheckResult.PERMIT);
        }
        return identity.map(caller -> caller.isAnonymous() ? CheckResult.DENY : CheckResult.PERMIT);
    }

    @Override
    public String name() {
        return "tenant";
    }
}
