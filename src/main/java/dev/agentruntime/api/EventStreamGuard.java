package dev.agentruntime.api;

import dev.agentruntime.execution.RunService;
import dev.agentruntime.security.RequestTenant;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * An event stream starts with its headers, so a bad request must be refused before the resource method runs: before
 * a {@link RunMustExist} method, this filter fails with the 503 of an instance that serves as many streams as it may
 * ({@link EventStreams}, checked first, so a refused follower costs no read), the 404 of an unknown (or another
 * tenant's) run, or the 400 of a malformed {@code Last-Event-ID} or one past the end of a running run, which the
 * exception mapper answers as problem JSON. The run it read and the stream's permit are handed to the resource
 * method, which reads nothing again and releases the permit when the stream ends.
 */
public class EventStreamGuard {

    private final RunService runs;
    private final RequestTenant tenant;
    private final EventStreams streams;

    public EventStreamGuard(RunService runs, RequestTenant tenant, EventStreams streams) {
        this.runs = runs;
        this.tenant = tenant;
        this.streams = streams;
    }

    /** The request property that carries the run to the resource method. */
    static final String RUN = EventStreamGuard.class.getName() + ".run";
    /** The request property that carries the stream's {@link EventStreams.Permit}. */
    static final String PERMIT = EventStreamGuard.class.getName() + ".permit";

    /** Runs after {@link dev.agentruntime.security.TenantFilter}: the run must be the caller's. */
    @RunMustExist
    @ServerRequestFilter(priority = Priorities.USER)
    public Uni<Void> requireRun(ContainerRequestContext request) {
        EventStreams.Permit permit = streams.admit();
        // Matched on the raw path: an id holding "%2F" is one (unknown) id here, not two segments.
        return runs.eventsOf(tenant.get(), request.getUriInfo().getPathParameters().getFirst("run_id"),
                        lastEventId(request.getHeaderString("Last-Event-ID")))
                .invoke(run -> {
                    request.setProperty(RUN, run);
                    request.setProperty(PERMIT, permit);
                })
                .onFailure().invoke(permit::release)
                .replaceWithVoid();
    }

    static String lastEventId(String header) {
        return header == null || header.isBlank() ? null : header.strip();
    }
}
