package dev.agentruntime.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.security.RequestTenant;
import dev.agentruntime.security.TenantScoped;
import dev.agentruntime.tools.todo.TodoTool;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's todos, read-only: runs change them, the console shows them. */
@Path("/api/v1/todos")
@TenantScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Todos")
public class TodoResource {

    private final TodoTool todos;
    private final RequestTenant tenant;

    public TodoResource(TodoTool todos, RequestTenant tenant) {
        this.todos = todos;
        this.tenant = tenant;
    }

    @GET
    @Operation(summary = "List the todos", description = "Oldest first, with total, completed and pending counts.")
    @APIResponse(responseCode = "200", description = "{\"todos\": [...], \"total_count\", \"completed_count\", \"pending_count\"}")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<JsonNode> list() {
        return todos.list(tenant.get());
    }
}
