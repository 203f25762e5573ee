package dev.agentruntime.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes the generated OpenAPI document say what the wire does (ADR 0026): Jackson writes every field of the
 * runtime's records, nulls included, so a property is required unless it may be null; records written without
 * their null fields ({@link Problem}, {@code PlanStep}) list what they require themselves; shared examples are JSON,
 * not text. Runs at build time.
 */
public class OpenApiWire implements OASFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        // Shared examples are written as JSON text; SmallRye keeps them as strings where it parses inline ones.
        if (openAPI.getComponents().getExamples() != null) {
            openAPI.getComponents().getExamples().values().forEach(example -> {
                if (example.getValue() instanceof String text) {
                    example.setValue(parsed(text));
                }
            });
        }
        for (Schema schema : openAPI.getComponents().getSchemas().values()) {
            Map<String, Schema> properties = schema.getProperties();
            if (properties == null || properties.isEmpty() || schema.getRequired() != null) {
                continue;
            }
            List<String> required = new ArrayList<>();
            properties.forEach((name, property) -> {
                if (!mayBeNull(property)) {
                    required.add(name);
                }
            });
            schema.setRequired(required);
        }
    }

    private static Object parsed(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an example of the OpenAPI document is not JSON: " + e.getMessage(), e);
        }
    }

    private static boolean mayBeNull(Schema property) {
        if (property.getType() != null && property.getType().contains(Schema.SchemaType.NULL)) {
            return true;
        }
        List<Schema> anyOf = property.getAnyOf() != null ? property.getAnyOf() : property.getOneOf();
        return anyOf != null && anyOf.stream().anyMatch(OpenApiWire::mayBeNull);
    }
}
