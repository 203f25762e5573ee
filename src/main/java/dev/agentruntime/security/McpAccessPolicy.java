package dev.agentruntime.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Guards the MCP endpoint ({@code quarkus.http.auth.permission.mcp}): with authentication on, every MCP request
 * needs the same credentials as the HTTP API (an anonymous one gets the API's 401: problem JSON and the challenge);
 * with it off, anyone is tenant {@code default}. The MCP tools then act for the identity's tenant.
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
        // Not DENY for an anonymous caller: Quarkus answers that with the bare challenge, an empty body. A failure
        // reaches McpEdge's handler, which answers as for invalid credentials: problem JSON and the challenge.
        return identity.onItem().transformToUni(caller -> caller.isAnonymous()
                ? Uni.createFrom().failure(new AuthenticationFailedException(Callers.missing(config)))
                : Uni.createFrom().item(CheckResult.PERMIT));
    }

    @Override
    public String name() {
        return "tenant";
    }
}
