package dev.agentruntime.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * What the planners know of a tool: its unique name, a description for the model, and the JSON Schema (2020-12) of
 * its input. A built-in tool keeps its schema in {@code src/main/resources/tools/<name>.schema.json}.
 */
public record ToolSpec(String name, String description, JsonNode inputSchema) {

    /** Only parses: schemas are plain JSON, independent of the API's naming settings. */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the input schema from {@code tools/<name>.schema.json}; a missing or broken file fails start-up. */
    public static ToolSpec withSchemaResource(String name, String description) {
        String path = "tools/" + name + ".schema.json";
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the schema of tool '" + name + "' is missing: " + path);
            }
            return new ToolSpec(name, description, JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("the schema of tool '" + name + "' is not JSON: " + path, e);
        }
    }
}
