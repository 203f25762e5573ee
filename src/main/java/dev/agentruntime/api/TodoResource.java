package dev.agentruntime.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.security.RequestTenant;
import dev.agentruntime.security.TenantScoped;
import dev.agentruntime.tools.todo.TodoConfig;
import dev.agentruntime.tools.todo.TodoTool;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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
    private final TodoConfig config;
    private final RequestTenant tenant;

    public TodoResource(TodoTool todos, TodoConfig config, RequestTenant tenant) {
        this.todos = todos;
        this.config = config;
        this.tenant = tenant;
    }

    @GET
    @Operation(summary = "List the todos", description = "A page of the todos, oldest first (limit 1-100, default "
            + "20; offset >= 0), with the total, completed and pending counts of all of them.")
    @APIResponse(responseCode = "200", description = "{\"todos\": [...], \"total_count\", \"completed_count\", "
            + "\"pending_count\", \"limit\", \"offset\"}")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<JsonNode> list(@QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        return todos.list(tenant.get(), QueryParams.intParam("limit", limit, config.defaultPageSize(), 1,
                QueryParams.MAX_LIMIT), QueryParams.intParam("offset", offset, 0, 0, Integer.MAX_VALUE));
    }
}
