package dev.agentruntime.api;

import dev.agentruntime.execution.RunService;
import dev.agentruntime.security.RequestTenant;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * An event stream starts with its headers, so a bad request must be refused before the resource method runs: before
 * a {@link RunMustExist} method, this filter fails with the 404 of an unknown (or another tenant's) run, or the 400
 * of a malformed {@code Last-Event-ID}, which the exception mapper answers as problem JSON. The run it read is
 * handed to the resource method, which reads nothing again.
 */
public class EventStreamGuard {

    private final RunService runs;
    private final RequestTenant tenant;

    public EventStreamGuard(RunService runs, RequestTenant tenant) {
        this.runs = runs;
        this.tenant = tenant;
    }

    /** The request property that carries the run to the resource method. */
    static final String RUN = EventStreamGuard.class.getName() + ".run";

    /** Runs after {@link dev.agentruntime.security.TenantFilter}: the run must be the caller's. */
    @RunMustExist
    @ServerRequestFilter(priority = Priorities.USER)
    public Uni<Void> requireRun(ContainerRequestContext request) {
        // Matched on the raw path: an id holding "%2F" is one (unknown) id here, not two segments.
        return runs.eventsOf(tenant.get(), request.getUriInfo().getPathParameters().getFirst("run_id"),
                        lastEventId(request.getHeaderString("Last-Event-ID")))
                .invoke(run -> request.setProperty(RUN, run))
                .replaceWithVoid();
    }

    static String lastEventId(String header) {
        return header == null || header.isBlank() ? null : header.strip();
    }
}
