package dev.agentruntime.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every {@link Tool} bean by name, with its input schema compiled once. */
@ApplicationScoped
public class ToolRegistry {

    private final Map<String, Registered> tools = new TreeMap<>();

    public ToolRegistry(@Any Instance<Tool> beans) {
        SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        for (Tool tool : beans) {
            Registered previous = tools.put(tool.name(), new Registered(tool, schemas.getSchema(tool.inputSchema())));
            if (previous != null) {
                throw new IllegalStateException("two tools are named '" + tool.name() + "': "
                        + previous.tool().getClass().getName() + " and " + tool.getClass().getName());
            }
        }
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(name).map(tools::get).map(Registered::tool);
    }

    /** All tools, sorted by name. */
    public List<Tool> all() {
        return tools.values().stream().map(Registered::tool).sorted(Comparator.comparing(Tool::name)).toList();
    }

    public Collection<String> names() {
        return tools.keySet();
    }

    /**
     * Problems with {@code input} for the named tool, each naming the field at fault; empty when valid.
     *
     * @throws IllegalArgumentException for an unknown tool
     */
    public List<String> problems(String toolName, JsonNode input) {
        Registered registered = tools.get(toolName);
        if (registered == null) {
            throw new IllegalArgumentException("unknown tool '" + toolName + "'");
        }
        if (input == null || !input.isObject()) {
            return List.of("input must be a JSON object");
        }
        return registered.schema().validate(input).stream().map(ToolRegistry::describe).toList();
    }

    /** Throws {@link InvalidToolInputException} unless {@code input} is valid for the tool. */
    public void validate(String toolName, JsonNode input) {
        List<String> problems = problems(toolName, input);
        if (!problems.isEmpty()) {
            throw new InvalidToolInputException(toolName, problems);
        }
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
