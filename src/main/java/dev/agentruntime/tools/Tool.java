package dev.agentruntime.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;

/**
 * A capability the planner may call. Every {@code Tool} bean is registered by {@link ToolRegistry}, offered to the
 * LLM planner through its name, description and schema, and given input that already passed that schema.
 */
public interface Tool {

    /** Unique, stable name the plan refers to, such as {@code calculator}. */
    String name();

    /** One or two sentences for the planner: what the tool does and when to use it. */
    String description();

    /** JSON Schema (2020-12) of the input object. */
    JsonNode inputSchema();

    /**
     * Runs the tool. Fails with a {@link dev.agentruntime.run.ToolException}: a
     * {@link dev.agentruntime.run.TransientToolException} when another attempt may succeed.
     */
    Uni<JsonNode> execute(JsonNode input, ToolContext context);
}
