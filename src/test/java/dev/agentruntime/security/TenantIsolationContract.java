package dev.agentruntime.security;

import dev.agentruntime.testing.Management;
import dev.agentruntime.testing.SseClient;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** With API keys on: who gets in, and that no tenant ever sees another's runs, todos, keys or events. */
abstract class TenantIsolationContract {

    static final String ACME_KEY = "acme-key-0123456789abcdef";
    static final String GLOBEX_KEY = "globex-key-0123456789abcdef";

    static Map<String, String> apiKeyConfig(String logFile) {
        return Map.of("agent.auth.mode", "api-key",
                "agent.auth.api-keys", "acme=" + ACME_KEY + ",globex=" + GLOBEX_KEY,
                "quarkus.log.file.enabled", "true", "quarkus.log.file.path", logFile);
    }

    abstract Path logFile();

    @Test
    void everyRunEndpointNeedsValidCredentials() {
        String id = UUID.randomUUID().toString();
        for (RequestSpecification anonymous : List.of(given(), given().header("Authorization", "Bearer wrong-key-000000000"),
                given().header("Authorization", "Basic " + ACME_KEY), given().header("X-API-Key", "nope"),
                given().header("Authorization", "Bearer"))) {
            for (Response response : List.of(
                    anonymous.contentType(ContentType.JSON).body("{\"prompt\": \"calculate 1\"}").post("/api/v1/runs"),
                    anonymous.get("/api/v1/runs"), anonymous.get("/api/v1/runs/" + id),
                    anonymous.get("/api/v1/runs/" + id + "/events"), anonymous.post("/api/v1/runs/" + id + "/cancel"))) {
                response.then().statusCode(401)
                        .header("WWW-Authenticate", containsString("Bearer"))
                        .contentType("application/problem+json")
                        .body("status", equalTo(401)).body("detail", notNullValue());
            }
        }
        Management.given().get("/q/health/ready").then().statusCode(200);
        Management.given().get("/q/health/live").then().statusCode(200);
        given().get("/api/v1/health").then().statusCode(200);
    }

    @Test
    void bearerAndXApiKeyBothWork() {
        given().header("Authorization", "Bearer " + ACME_KEY).get("/api/v1/runs").then().statusCode(200);
        given().header("X-API-Key", GLOBEX_KEY).get("/api/v1/runs").then().statusCode(200);
        create(ACME_KEY, "calculate 2 + 2", null).then().statusCode(201).body("tenant", equalTo("acme"));
    }

    @Test
    void anotherTenantsRunIsNotFoundOnEveryEndpoint() {
        String marker = "isolation-" + UUID.randomUUID();
        Response acme = create(ACME_KEY, "add todo to " + marker, null);
        acme.then().statusCode(201).body("status", equalTo("completed"));
        String id = acme.path("run_id");

        as(GLOBEX_KEY).get("/api/v1/runs/" + id).then().statusCode(404).body("detail", containsString("not found"));
        as(GLOBEX_KEY).get("/api/v1/runs/" + id + "/events").then().statusCode(404);
        as(GLOBEX_KEY).post("/api/v1/runs/" + id + "/cancel").then().statusCode(404);
        assertThat(as(GLOBEX_KEY).get("/api/v1/runs?limit=100").asString()).doesNotContain(id).doesNotContain(marker);
        assertThat(create(GLOBEX_KEY, "list todos", null).asString()).doesNotContain(marker);

        as(ACME_KEY).get("/api/v1/runs/" + id).then().statusCode(200);
        assertThat(as(ACME_KEY).get("/api/v1/runs?limit=100").asString()).contains(id);
        assertThat(create(ACME_KEY, "list todos", null).asString()).contains(marker);
        String url = RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/runs/" + id + "/events";
        assertThat(SseClient.read(url, null, Duration.ofSeconds(10)).status()).isEqualTo(401);
    }

    @Test
    void idempotencyKeysArePerTenant() {
        String key = "shared-" + UUID.randomUUID();
        String acmeRun = create(ACME_KEY, "calculate 1 + 1", key).then().statusCode(201).extract().path("run_id");
        // The same key from another tenant, even with another body, is that tenant's own new run.
        String globexRun = create(GLOBEX_KEY, "calculate 5 + 5", key).then().statusCode(201)
                .body("result", equalTo(10)).extract().path("run_id");
        assertThat(globexRun).isNotEqualTo(acmeRun);
        create(ACME_KEY, "calculate 1 + 1", key).then().statusCode(200).body("run_id", equalTo(acmeRun));
    }

    @Test
    void theLogsNeverContainACredentialAndAuditEveryDecision() throws Exception {
        create(ACME_KEY, "calculate 3 + 3", null).then().statusCode(201);
        given().header("X-API-Key", ACME_KEY + "x").get("/api/v1/runs").then().statusCode(401);
        String id = as(GLOBEX_KEY).contentType(ContentType.JSON).body(Map.of("prompt", "wait 5 seconds"))
                .post("/api/v1/runs").then().statusCode(201).extract().path("run_id");
        as(GLOBEX_KEY).post("/api/v1/runs/" + id + "/cancel").then().statusCode(202);

        String log = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(
                () -> Files.readString(logFile()), text -> text.contains("audit cancel accepted tenant=globex"));
        assertThat(log).doesNotContain(ACME_KEY).doesNotContain(GLOBEX_KEY).doesNotContain("acme-key");
        assertThat(log).contains("audit create created tenant=acme", "audit get refused:unauthorized",
                "audit cancel accepted tenant=globex run=" + id);
    }

    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    static Response create(String key, String prompt, String idempotencyKey) {
        RequestSpecification request = as(key).contentType(ContentType.JSON).header("Prefer", "wait=10")
                .body(Map.of("prompt", prompt));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/v1/runs");
    }
}
