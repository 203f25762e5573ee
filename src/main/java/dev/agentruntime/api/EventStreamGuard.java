package dev.agentruntime.api;

import dev.agentruntime.execution.RunService;
import dev.agentruntime.security.RequestTenant;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * An event stream starts with its headers, so a run that does not exist must be refused before the resource
 * method runs: before a {@link RunMustExist} method, this filter fails with the 404 of an unknown (or another
 * tenant's) run, which the exception mapper answers as problem JSON.
 */
public class EventStreamGuard {

    private final RunService runs;
    private final RequestTenant tenant;

    public EventStreamGuard(RunService runs, RequestTenant tenant) {
        this.runs = runs;
        this.tenant = tenant;
    }

    /** Runs after {@link dev.agentruntime.security.TenantFilter}: the run must be the caller's. */
    @RunMustExist
    @ServerRequestFilter(priority = Priorities.USER)
    public Uni<Void> requireRun(ContainerRequestContext request) {
        // Matched on the raw path: an id holding "%2F" is one (unknown) id here, not two segments.
        return runs.get(tenant.get(), request.getUriInfo().getPathParameters().getFirst("run_id"))
                .replaceWithVoid();
    }
}
