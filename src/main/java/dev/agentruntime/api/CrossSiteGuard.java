package dev.agentruntime.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Set;

/**
 * Refuses requests that change something ({@code POST}, …) under {@code /api/} when a browser says they come from a
 * page of another site ({@code Sec-Fetch-Site: cross-site} or {@code same-site}), unless that page's origin is in
 * {@code AGENT_HTTP_ALLOWED_ORIGINS}. A page cannot send JSON to another site without the CORS preflight the runtime
 * never grants, but it can send a body without a {@code Content-Type}, which the API reads as JSON: with
 * {@code AGENT_AUTH=off} any web page could start runs (and their MCP tools) in a runtime on the visitor's machine.
 * The console is same-origin; programs send no {@code Sec-Fetch-Site}; both are untouched.
 */
@ApplicationScoped
public class CrossSiteGuard {

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Set<String> OTHER_SITES = Set.of("cross-site", "same-site");

    private final Origins origins;
    private final String refusal;

    public CrossSiteGuard(Origins origins, ObjectMapper mapper) throws JsonProcessingException {
        this.origins = origins;
        this.refusal = mapper.writeValueAsString(Problem.of("forbidden-origin", "Forbidden origin", 403,
                "a page of another site may not change anything here (allowed: this site's own pages and "
                        + "AGENT_HTTP_ALLOWED_ORIGINS)"));
    }

    void install(@Observes Router router) {
        router.routeWithRegex("/api/.*").order(McpEdge.ORIGIN_ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String site = ctx.request().getHeader("Sec-Fetch-Site");
        if (SAFE.contains(ctx.request().method()) || site == null || !OTHER_SITES.contains(site.strip())
                || origins.isConfigured(ctx.request().getHeader(HttpHeaders.ORIGIN))) {
            ctx.next();
            return;
        }
        ctx.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(refusal);
    }
}
