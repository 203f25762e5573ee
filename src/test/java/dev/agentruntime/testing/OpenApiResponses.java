package dev.agentruntime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every answer of the API checked against the OpenAPI document the application serves (issue 27): the operation and
 * the status must be documented, the content type too, and the body must match its schema, with no property the
 * document does not name (the test adds {@code additionalProperties: false} to every object schema; the document
 * itself leaves clients free to meet new fields). An undocumented {@code /api} path may only answer a problem.
 * A RestAssured filter, or {@link #check} for answers read another way.
 */
public final class OpenApiResponses implements Filter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, OpenApiResponses> BY_DOCUMENT = new ConcurrentHashMap<>();

    private final JsonNode document;
    private final JsonNode strictComponents;
    private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
    private final List<String> checked = java.util.Collections.synchronizedList(new ArrayList<>());

    private OpenApiResponses(JsonNode document) {
        this.document = document;
        this.strictComponents = strict(document.path("components").deepCopy());
        // Compiled now, before a test starts timing anything (an approval that expires, say).
        document.path("paths").forEach(item -> item.forEach(operation -> operation.path("responses")
                .forEach(answer -> resolve(answer).path("content").forEach(media -> {
                    if (media.has("schema")) {
                        validator(media.path("schema"));
                    }
                }))));
        validator(JSON.createObjectNode().put("$ref", "#/components/schemas/Problem"));
    }

    /** The document served on {@code management}'s {@code /q/openapi} (compiled schemas kept per document). */
    public static OpenApiResponses of(RequestSpecification management) {
        String text = management.queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .asString();
        return BY_DOCUMENT.computeIfAbsent(text, json -> {
            try {
                return new OpenApiResponses(JSON.readTree(json));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The answers checked so far, as "METHOD path status", so a test can show the filter saw them. */
    public List<String> checked() {
        return List.copyOf(checked);
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                           FilterContext context) {
        Response answer = context.next(request, response);
        check(request.getMethod(), URI.create(request.getURI()).getRawPath(), answer.statusCode(),
                answer.contentType(), answer.asString());
        return answer;
    }

    /** Fails with every way the answer departs from the document. */
    public void check(String method, String path, int status, String contentType, String body) {
        if (!path.startsWith("/api/")) {
            return;
        }
        String where = method + " " + path + " " + status;
        checked.add(where);
        JsonNode operation = operation(method, path);
        JsonNode schema;
        String media = contentType == null || contentType.isBlank() ? ""
                : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (operation == null) {
            if (status < 400) {
                throw new AssertionError(where + ": an answer to an operation the document does not have");
            }
            schema = JSON.createObjectNode().put("$ref", "#/components/schemas/Problem");
            requireMedia(where, media, "application/problem+json");
        } else {
            JsonNode answer = resolve(operation.path("responses").path(Integer.toString(status)));
            if (answer.isMissingNode()) {
                throw new AssertionError(where + ": the document does not list status " + status + " for "
                        + method + " " + path + " (it lists " + names(operation.path("responses")) + ")");
            }
            JsonNode content = answer.path("content");
            if (content.isMissingNode() || content.isEmpty()) {
                return;
            }
            if (!content.has(media)) {
                throw new AssertionError(where + ": answered " + media + "; the document says " + names(content));
            }
            if (media.equals("text/event-stream")) {
                return;
            }
            schema = content.path(media).path("schema");
        }
        conforms(where, schema, read(where, body));
    }

    /** Fails unless {@code value} matches {@code schema} (a node of the document, its refs resolved within it). */
    public void conforms(String where, JsonNode schema, JsonNode value) {
        List<Error> errors = validator(schema).validate(value);
        if (!errors.isEmpty()) {
            throw new AssertionError(where + " does not match the document: " + errors + "\n" + value);
        }
    }

    /** The document, as served. */
    public JsonNode document() {
        return document;
    }

    private static void requireMedia(String where, String media, String expected) {
        if (!media.equals(expected)) {
            throw new AssertionError(where + ": answered " + media + ", not " + expected);
        }
    }

    private Schema validator(JsonNode schema) {
        return compiled.computeIfAbsent(schema.toString(), key -> {
            ObjectNode root = schema.deepCopy();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.set("components", strictComponents);
            return schemas.getSchema(root);
        });
    }

    /** The operation of the document that serves {@code method path}, or null. */
    private JsonNode operation(String method, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = paths.next();
            String template = "\\Q" + entry.getKey().replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            if (Pattern.matches(template, path)) {
                JsonNode operation = entry.getValue().path(method.toLowerCase(Locale.ROOT));
                return operation.isMissingNode() ? null : operation;
            }
        }
        return null;
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode ref = node.path("$ref");
        return ref.isTextual() ? document.at(ref.asText().substring(1)) : node;
    }

    private static JsonNode read(String where, String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(where + ": the body is not JSON: " + body, e);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Every object schema with properties closed to others, so a field the document does not name fails. */
    private static JsonNode strict(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            object.forEach(OpenApiResponses::strict);
        } else if (node.isArray()) {
            node.forEach(OpenApiResponses::strict);
        }
        return node;
    }
}
