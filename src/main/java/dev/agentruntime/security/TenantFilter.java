package dev.agentruntime.security;

import dev.agentruntime.limits.LimitsConfig;
import dev.agentruntime.limits.TenantLimits;
import dev.agentruntime.observability.AuditLog;
import dev.agentruntime.run.AgentException;
import dev.agentruntime.run.ErrorKind;
import dev.agentruntime.run.RateLimitedException;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.UnauthorizedException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;

/**
 * Before a {@link TenantScoped} resource method: establishes the caller's tenant (401 without valid credentials
 * unless authentication is off); before a {@link RateLimited} one, counts it against the tenant's rate (429). A refusal
 * is audited and thrown as the domain error, which the API's exception mapper answers like any other.
 */
public class TenantFilter {

    private final AuthConfig config;
    private final CurrentIdentityAssociation identities;
    private final RequestTenant tenant;
    private final TenantLimits limits;
    private final LimitsConfig limitsConfig;
    private final AuditLog audit;

    public TenantFilter(AuthConfig config, CurrentIdentityAssociation identities, RequestTenant tenant,
                        TenantLimits limits, LimitsConfig limitsConfig, AuditLog audit) {
        this.config = config;
        this.identities = identities;
        this.tenant = tenant;
        this.limits = limits;
        this.limitsConfig = limitsConfig;
        this.audit = audit;
    }

    @TenantScoped
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Void> resolveTenant(ContainerRequestContext request, HttpServerRequest http) {
        return caller().invoke(tenant::set).replaceWithVoid()
                .onFailure(AgentException.class).invoke(failure -> audit.refused(null, null,
                        request.getMethod().toLowerCase(Locale.ROOT), ((AgentException) failure).kind(),
                        AuditLog.clientOf(http)));
    }

    @RateLimited
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Uni<Void> limitRuns(HttpServerRequest http) {
        String name = tenant.get();
        return limits.acquireRun(name).invoke(wait -> {
            if (!wait.isZero()) {
                audit.refused(name, null, "create", ErrorKind.RATE_LIMITED,
                        AuditLog.clientOf(http));
                throw new RateLimitedException(limitsConfig.runsPerMinute(), (wait.toMillis() + 999) / 1000);
            }
        }).replaceWithVoid();
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
