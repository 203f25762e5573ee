package dev.agentruntime.tools.todo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.ToolException;
import dev.agentruntime.tools.todo.TodoRepository;
import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolSpec;
import dev.agentruntime.tools.ToolContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/** A todo list kept in the state store: add, list, complete, delete. */
@ApplicationScoped
public class TodoTool implements Tool {

    public static final String NAME = "todo_store";

    private static final ToolSpec SPEC = ToolSpec.withSchemaResource(NAME,
            "Keeps the user's todo list. action=add with text adds a todo; action=list lists all todos; "
                    + "action=complete or action=delete with todo_id changes one.");

    private final TodoRepository todos;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final TodoConfig config;

    public TodoTool(TodoRepository todos, ObjectMapper mapper, Clock clock, TodoConfig config) {
        this.todos = todos;
        this.mapper = mapper;
        this.clock = clock;
        this.config = config;
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    /** One store write, quick: a cancel waits for it, and the run then says whether the todo was written. */
    @Override
    public boolean interruptible() {
        return false;
    }

    /** One store write or read; an add done again after a crash finds the todo it wrote (keyed by run and step). */
    @Override
    public boolean quick() {
        return true;
    }

    @Override
    public Uni<JsonNode> execute(JsonNode input, ToolContext context) {
        String action = input.path("action").asText();
        return switch (action) {
            case "add" -> add(input.path("text").asText(), context);
            case "list" -> list(context.tenant(), input.path("limit").asInt(config.defaultPageSize()),
                    input.path("offset").asInt(0));
            case "complete" -> complete(context.tenant(), input.path("todo_id").asText());
            case "delete" -> delete(context.tenant(), input.path("todo_id").asText());
            default -> Uni.createFrom().failure(new ToolException("unknown action '" + action + "'"));
        };
    }

    /** The id comes from the run and step, so a retried add finds its own todo instead of writing a second one. */
    private Uni<JsonNode> add(String text, ToolContext context) {
        Todo todo = new Todo(context.stableId(), text, false, clock.instant(), null);
        return todos.insertIfAbsent(context.tenant(), todo, config.maxPerTenant()).map(stored -> wrap(stored
                .orElseThrow(() -> new ToolException("the todo list is full: at most " + config.maxPerTenant()
                        + " todos may be kept; complete and delete some first"))));
    }

    /**
     * A page of the tenant's todos, oldest first, with the exact counts of all of them, as the list action returns
     * it (also served by GET /api/v1/todos). Paged, so a list never grows with the todos a tenant keeps.
     */
    public Uni<JsonNode> list(String tenant, int limit, int offset) {
        return todos.page(tenant, limit, offset).map(page -> {
            ObjectNode result = mapper.createObjectNode();
            result.set("todos", mapper.valueToTree(page.todos()));
            result.put("total_count", page.total());
            result.put("completed_count", page.completed());
            result.put("pending_count", page.total() - page.completed());
            result.put("limit", limit);
            result.put("offset", offset);
            return result;
        });
    }

    private Uni<JsonNode> complete(String tenant, String id) {
        return todos.complete(tenant, id, clock.instant()).map(done -> wrap(done.orElseThrow(() -> unknown(id))));
    }

    private Uni<JsonNode> delete(String tenant, String id) {
        return todos.delete(tenant, id).map(deleted -> {
            if (!deleted) {
                throw unknown(id);
            }
            return mapper.createObjectNode().put("deleted", id);
        });
    }

    private JsonNode wrap(Todo todo) {
        return mapper.createObjectNode().set("todo", mapper.valueToTree(todo));
    }

    private static ToolException unknown(String id) {
        return new ToolException("no todo with id '" + id + "'");
    }
}
