package dev.agentruntime.security;

import dev.agentruntime.observability.AuditLog;
import dev.agentruntime.run.AgentException;
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
 * unless authentication is off). A refusal is audited and thrown as the domain error, which the API's exception
 * mapper answers like any other. (The rate of run starts is counted where a run is really started, in
 * {@code RunService}: a replayed Idempotency-Key starts nothing and is not counted.)
 */
public class TenantFilter {

    private final AuthConfig config;
    private final CurrentIdentityAssociation identities;
    private final RequestTenant tenant;
    private final AuditLog audit;

    public TenantFilter(AuthConfig config, CurrentIdentityAssociation identities, RequestTenant tenant,
                        AuditLog audit) {
        this.config = config;
        this.identities = identities;
        this.tenant = tenant;
        this.audit = audit;
    }

    @TenantScoped
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Void> resolveTenant(ContainerRequestContext request, HttpServerRequest http) {
        return caller().invoke(identity -> tenant.set(identity.tenant(), identity.subject())).replaceWithVoid()
                .onFailure(AgentException.class).invoke(failure -> audit.refused(null, null,
                        request.getMethod().toLowerCase(Locale.ROOT), ((AgentException) failure).kind(),
                        AuditLog.clientOf(http)));
    }

    private Uni<JwtVerifier.Caller> caller() {
        if (config.mode() == AuthConfig.Mode.OFF) {
            return Uni.createFrom().item(new JwtVerifier.Caller(Run.DEFAULT_TENANT, null));
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
                    Object subject = identity.getAttribute(RequestTenant.SUBJECT);
                    return new JwtVerifier.Caller(identity.getPrincipal().getName(),
                            subject == null ? null : subject.toString());
                });
    }
}
