package dev.agentruntime.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.agentruntime.run.Planner;

import dev.agentruntime.planning.ModelHealth;
import dev.agentruntime.planning.PlanningService;
import dev.agentruntime.security.Caller;
import dev.agentruntime.security.Callers;
import dev.agentruntime.store.StoreConfig;
import dev.agentruntime.tools.ToolRegistry;
import dev.agentruntime.tools.mcp.McpServerStatus;
import dev.agentruntime.tools.mcp.McpServers;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** One page an operator or a client reads to learn what this instance is and whether it can serve. */
@Path("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Health")
public class HealthResource {

    @RegisterForReflection
    public record ToolInfo(String name, String description, String source) {
    }

    /**
     * {@code tools} and {@code mcpServers} are null (left out) for an anonymous caller while auth is on.
     * {@code planner} is the configured planner; with the LLM, {@code model} says whether the model answers (the rules
     * plan while it does not) and {@code checks.model} repeats its status. Neither makes the instance DOWN.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(requiredProperties = {"status", "version", "store", "planner", "checks"})
    public record Health(String status, String version, String store, Planner planner, Map<String, String> checks,
                         ModelHealth.Status model, List<ToolInfo> tools, List<McpServerStatus> mcpServers) {
    }

    private final SmallRyeHealthReporter reporter;
    private final ToolRegistry tools;
    private final StoreConfig store;
    private final PlanningService planning;
    private final McpServers mcpServers;
    private final Callers callers;
    private final ModelHealth model;
    private final String version;

    public HealthResource(SmallRyeHealthReporter reporter, ToolRegistry tools, StoreConfig store,
                          PlanningService planning, McpServers mcpServers, Callers callers, ModelHealth model,
                          @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.model = model;
        this.reporter = reporter;
        this.tools = tools;
        this.store = store;
        this.planning = planning;
        this.mcpServers = mcpServers;
        this.callers = callers;
        this.version = version;
    }

    @GET
    @Operation(operationId = "getHealth", summary = "Instance health", description = "Status, version, state store, "
            + "planner mode and checks for anyone, with the model's state when the LLM plans (last success, last "
            + "failure and why); for an authenticated caller (anyone while AGENT_AUTH=off) also the tools its tenant "
            + "may use, with their source, and the state of each MCP server it may use. Optional tool servers and the "
            + "model never make this DOWN.")
    @APIResponse(responseCode = "200", description = "Every check is up",
            content = @Content(schema = @Schema(implementation = Health.class)))
    @APIResponse(responseCode = "503", description = "A check is down (the state store is unreachable): the same "
            + "document, not a problem, so a client still learns what is down",
            content = @Content(schema = @Schema(implementation = Health.class)))
    public Uni<RestResponse<Health>> health() {
        return Uni.combine().all().unis(reporter.getHealthAsync(), callers.optional()).asTuple().map(both -> {
            var report = both.getItem1();
            Optional<String> tenant = both.getItem2().map(Caller::tenant);
            Map<String, String> checks = new TreeMap<>();
            report.getPayload().getJsonArray("checks").forEach(check -> {
                var json = check.asJsonObject();
                checks.put(json.getString("name"), json.getString("status"));
            });
            boolean up = !report.isDown();
            ModelHealth.Status modelStatus = planning.mode() == Planner.LLM ? model.status() : null;
            if (modelStatus != null) {
                checks.put("model", modelStatus.status().name());
            }
            Health health = new Health(up ? "UP" : "DOWN", version, store.type().name().toLowerCase(Locale.ROOT),
                    planning.mode(), checks, modelStatus,
                    tenant.map(name -> tools.available(name).stream()
                            .map(t -> new ToolInfo(t.name(), t.description(), t.source())).toList()).orElse(null),
                    tenant.map(mcpServers::status).orElse(null));
            return RestResponse.status(up ? RestResponse.Status.OK : RestResponse.Status.SERVICE_UNAVAILABLE, health);
        });
    }
}
