package dev.agentruntime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentruntime.testing.Management;
import dev.agentruntime.testing.OpenApiResponses;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * /q/openapi is the API's contract (issue 27, ADR 0026): every endpoint with every status it can answer, an
 * operationId each, errors as problem JSON, names as on the wire, the credentials it takes, the API port as the
 * server, examples that match their schemas; and docs/openapi.yaml is that document.
 */
@QuarkusTest
class OpenApiTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyEndpointListsItsAnswers() {
        JsonPath openapi = Management.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Set<String>> expected = Map.of(
                "paths.'/api/v1/runs'.post", Set.of("200", "201", "400", "401", "409", "413", "415", "422", "429",
                        "503"),
                "paths.'/api/v1/runs'.get", Set.of("200", "400", "401", "503"),
                "paths.'/api/v1/runs/{run_id}'.get", Set.of("200", "401", "404", "503"),
                "paths.'/api/v1/runs/{run_id}/cancel'.post", Set.of("202", "401", "404", "409", "503"),
                "paths.'/api/v1/runs/{run_id}/approve'.post", Set.of("200", "400", "401", "404", "409", "415", "422",
                        "503"),
                "paths.'/api/v1/runs/{run_id}/events'.get", Set.of("200", "400", "401", "404"),
                "paths.'/api/v1/todos'.get", Set.of("200", "400", "401", "503"),
                "paths.'/api/v1/health'.get", Set.of("200", "503"));
        expected.forEach((operation, codes) -> {
            Map<String, Object> responses = openapi.getMap(operation + ".responses");
            assertThat(responses).as(operation).isNotNull();
            assertThat(responses.keySet()).as(operation).containsAll(codes);
            assertThat(openapi.getString(operation + ".summary")).as(operation).isNotBlank();
        });
        assertThat(openapi.getMap("components.responses")).containsKeys("BadRequest", "NotFound", "Unprocessable",
                "Unavailable", "PayloadTooLarge", "Unauthorized", "UnsupportedMediaType", "TooManyRequests");
        Management.given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void everyOperationHasItsOwnOperationId() {
        List<String> ids = new ArrayList<>();
        operations(document()).forEach((where, operation) -> {
            assertThat(operation.path("operationId").asText()).as(where).matches("[a-z][A-Za-z]+");
            ids.add(operation.path("operationId").asText());
        });
        assertThat(ids).hasSize(11).doesNotHaveDuplicates().contains("createRun", "getRun", "listRuns",
                "approveStep", "rejectStep", "cancelRun", "followRunEvents", "listTodos", "getHealth", "forkRun",
                "listForks");
    }

    @Test
    void everyErrorIsProblemJsonExceptTheHealthDocument() {
        JsonNode document = document();
        operations(document).forEach((where, operation) -> operation.path("responses").fields().forEachRemaining(
                answer -> {
                    if (answer.getKey().startsWith("2")) {
                        return;
                    }
                    JsonNode response = resolve(document, answer.getValue());
                    JsonNode content = response.path("content");
                    String what = where + " " + answer.getKey();
                    if (where.equals("get /api/v1/health")) {
                        // A health document that says what is down, on purpose (HealthResource).
                        assertThat(content.at("/application~1json/schema/$ref").asText()).as(what)
                                .endsWith("/Health");
                        return;
                    }
                    assertThat(names(content)).as(what).containsExactly(Problem.MEDIA_TYPE);
                    assertThat(content.at("/application~1problem+json/schema/$ref").asText()).as(what)
                            .isEqualTo("#/components/schemas/Problem");
                }));
        assertThat(document.at("/components/schemas/Problem/required")).extracting(JsonNode::asText)
                .containsExactly("type", "title", "status", "detail");
    }

    @Test
    void namesAreSnakeCaseAsOnTheWire() {
        document().path("components").path("schemas").fields().forEachRemaining(schema ->
                names(schema.getValue().path("properties")).forEach(name ->
                        assertThat(name).as(schema.getKey()).matches("[a-z][a-z0-9_]*")));
        assertThat(names(document().at("/components/schemas/Run/properties"))).contains("run_id",
                "fallback_reason", "execution_log", "created_at");
        assertThat(names(document().at("/components/schemas/DecisionRequest/properties")))
                .containsExactly("input_hash", "comment");
    }

    @Test
    void credentialsAreDocumentedWhereAuthenticationApplies() {
        JsonNode document = document();
        assertThat(document.at("/components/securitySchemes/ApiKey/type").asText()).isEqualTo("apiKey");
        assertThat(document.at("/components/securitySchemes/ApiKey/in").asText()).isEqualTo("header");
        assertThat(document.at("/components/securitySchemes/ApiKey/name").asText()).isEqualTo("X-API-Key");
        assertThat(document.at("/components/securitySchemes/Bearer/type").asText()).isEqualTo("http");
        assertThat(document.at("/components/securitySchemes/Bearer/scheme").asText()).isEqualTo("bearer");
        operations(document).forEach((where, operation) -> {
            Set<String> schemes = new HashSet<>();
            operation.path("security").forEach(requirement -> schemes.addAll(names(requirement)));
            if (where.equals("get /api/v1/health")) {
                assertThat(schemes).as(where).isEmpty();
            } else {
                assertThat(schemes).as(where).containsExactlyInAnyOrder("ApiKey", "Bearer");
                assertThat(operation.path("responses").has("401")).as(where).isTrue();
            }
        });
    }

    @Test
    void theServerIsTheApiPortNotTheManagementPortThatServesSwaggerUi() throws IOException {
        Properties shipped = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            shipped.load(in);
        }
        JsonNode server = document().path("servers").path(0);
        assertThat(server.path("url").asText()).isEqualTo("http://{host}:{port}");
        assertThat(server.at("/variables/port/default").asText()).isEqualTo(shipped.getProperty("quarkus.http.port"))
                .isNotEqualTo(shipped.getProperty("quarkus.management.port"));
    }

    @Test
    void everyExampleMatchesItsSchema() {
        JsonNode document = document();
        OpenApiResponses contract = OpenApiResponses.of(Management.given());
        int[] seen = {0};
        List<JsonNode> contents = new ArrayList<>();
        document.path("components").path("responses").forEach(response -> contents.add(response.path("content")));
        operations(document).values().forEach(operation -> {
            operation.path("responses").forEach(answer -> contents.add(answer.path("content")));
            contents.add(operation.path("requestBody").path("content"));
        });
        for (JsonNode content : contents) {
            content.fields().forEachRemaining(media -> media.getValue().path("examples").forEach(example -> {
                if (media.getKey().endsWith("json")) {
                    contract.conforms(media.getKey() + " example", media.getValue().path("schema"),
                            resolve(document, example).path("value"));
                    seen[0]++;
                }
            }));
        }
        assertThat(seen[0]).isGreaterThan(10);
    }

    /** The validator the contract tests use catches what it is there to catch. */
    @Test
    void theResponseCheckRefusesWhatTheDocumentDoesNotSay() {
        OpenApiResponses contract = OpenApiResponses.of(Management.given());
        ObjectNode run = (ObjectNode) resolve(document(), document().at("/components/examples/CompletedRun"))
                .path("value").deepCopy();
        contract.check("GET", "/api/v1/runs/x", 200, "application/json", run.toString());

        assertThatThrownBy(() -> contract.check("GET", "/api/v1/runs/x", 200, "application/json",
                run.deepCopy().put("runId", "camelCase").toString())).hasMessageContaining("runId");
        assertThatThrownBy(() -> contract.check("GET", "/api/v1/runs/x", 200, "application/json",
                run.deepCopy().without("status").toString())).hasMessageContaining("status");
        assertThatThrownBy(() -> contract.check("GET", "/api/v1/runs/x", 200, "application/json",
                run.deepCopy().putNull("prompt").toString())).hasMessageContaining("prompt");
        assertThatThrownBy(() -> contract.check("GET", "/api/v1/runs/x", 418, "application/problem+json", "{}"))
                .hasMessageContaining("does not list status 418");
        assertThatThrownBy(() -> contract.check("GET", "/api/v1/runs/x", 404, "text/html", "<p>no</p>"))
                .hasMessageContaining("text/html");
        assertThatThrownBy(() -> contract.check("PUT", "/api/v1/other", 200, "application/json", "{}"))
                .hasMessageContaining("operation the document does not have");
    }

    /**
     * docs/openapi.yaml, the contract clients and the generated test client read, is the document the application
     * serves. When the API changes, copy the new one: {@code cp target/openapi/openapi.yaml docs/openapi.yaml}
     * (every build writes it there).
     */
    @Test
    void theCommittedDocumentIsTheServedOne() throws IOException {
        JsonNode committed = YAML.readTree(Files.readString(Path.of("docs", "openapi.yaml")));
        assertThat(committed).as("docs/openapi.yaml is stale: cp target/openapi/openapi.yaml docs/openapi.yaml")
                .isEqualTo(document());
    }

    private static JsonNode document() {
        try {
            return YAML.readTree(Management.given().get("/q/openapi").then().statusCode(200).extract().asString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** "method path" → operation. */
    private static Map<String, JsonNode> operations(JsonNode document) {
        Map<String, JsonNode> operations = new java.util.TreeMap<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(
                operation -> operations.put(operation.getKey() + " " + path.getKey(), operation.getValue())));
        return operations;
    }

    private static JsonNode resolve(JsonNode document, JsonNode node) {
        JsonNode ref = node.path("$ref");
        return ref.isTextual() ? document.at(ref.asText().substring(1)) : node;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
