package dev.agentruntime.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.security.RequestTenant;
import dev.agentruntime.security.TenantScoped;
import dev.agentruntime.tools.todo.Todo;
import dev.agentruntime.tools.todo.TodoConfig;
import dev.agentruntime.tools.todo.TodoTool;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The caller's todos, read-only: runs change them, the console shows them. */
@Path("/api/v1/todos")
@TenantScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Todos")
@SecurityRequirement(name = ApiDocumentation.API_KEY)
@SecurityRequirement(name = ApiDocumentation.BEARER)
public class TodoResource {

    /** What {@code todo_store}'s list answers: the shape of the 200 in the OpenAPI document. */
    record TodoPage(List<Todo> todos, int totalCount, int completedCount, int pendingCount, int limit, int offset) {
    }

    private final TodoTool todos;
    private final TodoConfig config;
    private final RequestTenant tenant;

    public TodoResource(TodoTool todos, TodoConfig config, RequestTenant tenant) {
        this.todos = todos;
        this.config = config;
        this.tenant = tenant;
    }

    @GET
    @Operation(operationId = "listTodos", summary = "List the todos", description = "A page of the todos, oldest "
            + "first, with the total, completed and pending counts of all of them.")
    @APIResponse(responseCode = "200", description = "A page of todos",
            content = @Content(schema = @Schema(implementation = TodoPage.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "Todos in a page (default "
            + "AGENT_TODOS_DEFAULT_PAGE_SIZE, 20)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
            maximum = "100"))
    @Parameter(name = "offset", in = ParameterIn.QUERY, description = "Todos to skip",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
    public Uni<JsonNode> list(@QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        return todos.list(tenant.get(), QueryParams.intParam("limit", limit, config.defaultPageSize(), 1,
                QueryParams.MAX_LIMIT), QueryParams.intParam("offset", offset, 0, 0, Integer.MAX_VALUE));
    }
}
