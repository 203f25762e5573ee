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

import java.io.IOException;
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

    public TodoTool(TodoRepository todos, ObjectMapper mapper, Clock clock) {
        this.todos = todos;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Uni<JsonNode> execute(JsonNode input, ToolContext context) {
        String action = input.path("action").asText();
        return switch (action) {
            case "add" -> add(input.path("text").asText(), context);
            case "list" -> list(context.tenant());
            case "complete" -> complete(context.tenant(), input.path("todo_id").asText());
            case "delete" -> delete(context.tenant(), input.path("todo_id").asText());
            default -> Uni.createFrom().failure(new ToolException("unknown action '" + action + "'"));
        };
    }

    /** The id comes from the run and step, so a retried add finds its own todo instead of writing a second one. */
    private Uni<JsonNode> add(String text, ToolContext context) {
        Todo todo = new Todo(context.stableId(), text, false, clock.instant(), null);
        return todos.insertIfAbsent(context.tenant(), todo).map(this::wrap);
    }

    /** The tenant's todos with their counts, as the list action returns them (also served by GET /api/v1/todos). */
    public Uni<JsonNode> list(String tenant) {
        return todos.list(tenant).map(all -> {
            long completed = all.stream().filter(Todo::completed).count();
            ObjectNode result = mapper.createObjectNode();
            result.set("todos", mapper.valueToTree(all));
            result.put("total_count", all.size());
            result.put("completed_count", completed);
            result.put("pending_count", all.size() - completed);
            return result;
        });
    }

    private Uni<JsonNode> complete(String tenant, String id) {
        return todos.find(tenant, id).flatMap(found -> {
            Todo todo = found.orElseThrow(() -> unknown(id));
            Todo done = todo.complete(clock.instant());
            return done == todo ? Uni.createFrom().item(wrap(todo))
                    : todos.update(tenant, done).map(updated -> {
                        if (!updated) {
                            throw unknown(id);
                        }
                        return wrap(done);
                    });
        });
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
