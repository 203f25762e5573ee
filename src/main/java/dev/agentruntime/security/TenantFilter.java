package dev.agentruntime.security;

import dev.agentruntime.observability.AuditLog;
import dev.agentruntime.run.AgentException;
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

    private final Callers callers;
    private final RequestTenant tenant;
    private final AuditLog audit;

    public TenantFilter(Callers callers, RequestTenant tenant, AuditLog audit) {
        this.callers = callers;
        this.tenant = tenant;
        this.audit = audit;
    }

    @TenantScoped
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Void> resolveTenant(ContainerRequestContext request, HttpServerRequest http) {
        return callers.required().invoke(tenant::set)
                .replaceWithVoid()
                .onFailure(AgentException.class).invoke(failure -> audit.refused(null, null,
                        request.getMethod().toLowerCase(Locale.ROOT), ((AgentException) failure).kind(),
                        AuditLog.clientOf(http)));
    }
}
