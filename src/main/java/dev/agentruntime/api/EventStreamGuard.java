package dev.agentruntime.api;

import dev.agentruntime.execution.RunService;
import dev.agentruntime.run.RunNotFoundException;
import dev.agentruntime.security.RequestTenant;
import jakarta.ws.rs.Priorities;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An event stream starts with its headers, so a run that does not exist must be refused before the resource
 * method runs: this filter answers the 404 problem for {@code GET /api/v1/runs/{id}/events} of an unknown run.
 */
public class EventStreamGuard {

    private static final Pattern EVENTS = Pattern.compile("^/?api/v1/runs/([^/]+)/events/?$");

    private final RunService runs;
    private final RequestTenant tenant;
    private final ProblemMapper problems;

    public EventStreamGuard(RunService runs, RequestTenant tenant) {
        this.runs = runs;
        this.tenant = tenant;
        this.problems = new ProblemMapper();
    }

    /** Runs after {@link dev.agentruntime.security.TenantFilter}: the run must be the caller's. */
    @ServerRequestFilter(priority = Priorities.USER)
    public Uni<Response> requireRun(ContainerRequestContext request) {
        // The raw path: a decoded "%2F" in the id would otherwise slip past the pattern.
        Matcher m = EVENTS.matcher(request.getUriInfo().getRequestUri().getRawPath());
        if (!"GET".equals(request.getMethod()) || !m.matches()) {
            return Uni.createFrom().nullItem();
        }
        return runs.get(tenant.get(), m.group(1)).map(run -> (Response) null)
                .onFailure(RunNotFoundException.class).recoverWithItem(problems::agent);
    }
}
