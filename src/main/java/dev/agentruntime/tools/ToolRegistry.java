package dev.agentruntime.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every tool by name, with its input schema compiled once: the {@link Tool} beans, fixed at start, and the tools
 * that come and go at run time ({@link #register}, {@link #unregister}: an MCP server's, as it lists them). A tenant
 * sees, plans with and runs only the tools available to it ({@link Tool#availableTo}).
 */
@ApplicationScoped
public class ToolRegistry {

    private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Registered> builtIn = new ConcurrentHashMap<>();
    private final Map<String, Registered> registered = new ConcurrentHashMap<>();

    public ToolRegistry(@Any Instance<Tool> beans) {
        for (Tool tool : beans) {
            Registered previous = builtIn.put(tool.name(), compile(tool));
            if (previous != null) {
                throw new IllegalStateException("two tools are named '" + tool.name() + "': "
                        + previous.tool().getClass().getName() + " and " + tool.getClass().getName());
            }
        }
    }

    /**
     * Adds or replaces a tool that is not a bean.
     *
     * @throws IllegalArgumentException when a built-in tool has that name, or its schema cannot be compiled
     */
    public void register(Tool tool) {
        if (builtIn.containsKey(tool.name())) {
            throw new IllegalArgumentException("a built-in tool is named '" + tool.name() + "'");
        }
        registered.put(tool.name(), compile(tool));
    }

    /** Removes a tool added with {@link #register}; a plan that still names it is then invalid. */
    public void unregister(String name) {
        registered.remove(name);
    }

    /** Any tool by name, whoever may use it. */
    public Optional<Tool> find(String name) {
        return Optional.ofNullable(name).map(this::lookup).map(Registered::tool);
    }

    /** The tool if the tenant may use it; empty for an unknown tool and for one the tenant may not use alike. */
    public Optional<Tool> find(String name, String tenant) {
        return find(name).filter(tool -> tool.availableTo(tenant));
    }

    /** All tools, sorted by name. */
    public List<Tool> all() {
        return java.util.stream.Stream.concat(builtIn.values().stream(), registered.values().stream())
                .map(Registered::tool).sorted(Comparator.comparing(Tool::name)).toList();
    }

    /** The tools the tenant may use, sorted by name. */
    public List<Tool> available(String tenant) {
        return all().stream().filter(tool -> tool.availableTo(tenant)).toList();
    }

    /**
     * Problems with {@code input} for the named tool, each naming the field at fault; empty when valid.
     *
     * @throws IllegalArgumentException for an unknown tool
     */
    public List<String> problems(String toolName, JsonNode input) {
        Registered tool = lookup(toolName);
        if (tool == null) {
            throw new IllegalArgumentException("unknown tool '" + toolName + "'");
        }
        if (input == null || !input.isObject()) {
            return List.of("input must be a JSON object");
        }
        return tool.schema().validate(input).stream().map(ToolRegistry::describe).toList();
    }

    /** Throws {@link InvalidToolInputException} unless {@code input} is valid for the tool. */
    public void validate(String toolName, JsonNode input) {
        List<String> problems = problems(toolName, input);
        if (!problems.isEmpty()) {
            throw new InvalidToolInputException(toolName, problems);
        }
    }

    private Registered lookup(String name) {
        Registered tool = builtIn.get(name);
        return tool != null ? tool : registered.get(name);
    }

    private Registered compile(Tool tool) {
        return new Registered(tool, schemas.getSchema(tool.inputSchema()));
    }

    /** "/todo_id: …" reads better to a user as "todo_id: …"; a missing field is named by the field itself. */
    private static String describe(Error error) {
        String field = error.getInstanceLocation().toString().replaceFirst("^(\\$\\.?|/)", "").replace('/', '.');
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            field = field.isEmpty() ? error.getProperty() : field + "." + error.getProperty();
        }
        return field.isEmpty() ? error.getMessage() : field + ": " + error.getMessage();
    }

    private record Registered(Tool tool, Schema schema) {
    }
}
