package dev.agentruntime.security;

import dev.agentruntime.api.ProblemMapper;
import dev.agentruntime.observability.AuditLog;
import dev.agentruntime.run.AgentException;
import dev.agentruntime.run.RateLimitedException;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.UnauthorizedException;
import dev.agentruntime.store.LimitsConfig;
import dev.agentruntime.store.TenantLimits;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Before any tenant endpoint (runs, todos): establishes the caller's tenant (401 without valid credentials unless authentication
 * is off) and counts run creations against the tenant's rate (429). Health, metrics and docs stay open.
 */
public class TenantFilter {

    private final AuthConfig config;
    private final CurrentIdentityAssociation identities;
    private final RequestTenant tenant;
    private final TenantLimits limits;
    private final LimitsConfig limitsConfig;
    private final AuditLog audit;
    private final ProblemMapper problems = new ProblemMapper();

    public TenantFilter(AuthConfig config, CurrentIdentityAssociation identities, RequestTenant tenant,
                        TenantLimits limits, LimitsConfig limitsConfig, AuditLog audit) {
        this.config = config;
        this.identities = identities;
        this.tenant = tenant;
        this.limits = limits;
        this.limitsConfig = limitsConfig;
        this.audit = audit;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> resolveTenant(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/v1/") || path.startsWith("/api/v1/health")) {
            return Uni.createFrom().nullItem();
        }
        boolean creating = "POST".equals(request.getMethod()) && path.replaceAll("/+$", "").equals("/api/v1/runs");
        return caller()
                .invoke(tenant::set)
                .flatMap(name -> creating ? limits.acquireRun(name).invoke(wait -> {
                    if (!wait.isZero()) {
                        throw new RateLimitedException(limitsConfig.runsPerMinute(),
                                (wait.toMillis() + 999) / 1000);
                    }
                }).replaceWithVoid() : Uni.createFrom().voidItem())
                .map(ok -> (Response) null)
                .onFailure(AgentException.class).recoverWithItem(failure -> {
                    String outcome = failure instanceof UnauthorizedException ? "unauthorized" : "rate_limited";
                    audit.refused(failure instanceof UnauthorizedException ? null : tenant.get(), null,
                            creating ? "create" : request.getMethod().toLowerCase(java.util.Locale.ROOT), outcome,
                            AuditLog.clientOf(http));
                    return problems.agent((AgentException) failure);
                });
    }

    private Uni<String> caller() {
        if (config.mode() == AuthConfig.Mode.OFF) {
            return Uni.createFrom().item(Run.DEFAULT_TENANT);
        }
        return identities.getDeferredIdentity()
                .onFailure(AuthenticationFailedException.class).transform(failure -> new UnauthorizedException(
                        failure.getMessage() == null ? "the credentials are not valid" : failure.getMessage()))
                .map(identity -> {
                    if (identity.isAnonymous()) {
                        throw new UnauthorizedException("credentials are missing: send Authorization: Bearer <"
                                + (config.mode() == AuthConfig.Mode.JWT ? "token" : "API key") + ">"
                                + (config.mode() == AuthConfig.Mode.API_KEY ? " or X-API-Key: <API key>" : ""));
                    }
                    return identity.getPrincipal().getName();
                });
    }
}
