package dev.agentruntime.api;

import dev.agentruntime.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** /q/openapi describes every endpoint with every status code it can answer. */
@QuarkusTest
class OpenApiTest {

    @Test
    void everyEndpointListsItsAnswers() {
        JsonPath openapi = Management.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Set<String>> expected = Map.of(
                "paths.'/api/v1/runs'.post", Set.of("200", "201", "400", "409", "413", "422", "503"),
                "paths.'/api/v1/runs'.get", Set.of("200", "400", "503"),
                "paths.'/api/v1/runs/{run_id}'.get", Set.of("200", "404", "503"),
                "paths.'/api/v1/runs/{run_id}/cancel'.post", Set.of("202", "404", "409", "503"),
                "paths.'/api/v1/runs/{run_id}/events'.get", Set.of("200", "404"),
                "paths.'/api/v1/health'.get", Set.of("200", "503"));
        expected.forEach((operation, codes) -> {
            Map<String, Object> responses = openapi.getMap(operation + ".responses");
            assertThat(responses).as(operation).isNotNull();
            assertThat(responses.keySet()).as(operation).containsAll(codes);
            assertThat(openapi.getString(operation + ".summary")).as(operation).isNotBlank();
        });
        assertThat(openapi.getMap("components.responses")).containsKeys("BadRequest", "NotFound", "Unprocessable",
                "Unavailable", "PayloadTooLarge");
        Management.given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
