package dev.agentruntime.security;

import dev.agentruntime.testing.AppProcess;
import dev.agentruntime.testing.Gen;
import dev.agentruntime.testing.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random bodies, headers and ids thrown at the packaged app with API keys on: never a 5xx, never a stack trace,
 * and tenant globex never sees anything of tenant acme's.
 */
class ApiFuzzIT {

    private static final String ACME = "acme-fuzz-0123456789";
    private static final String GLOBEX = "globex-fuzz-0123456789";
    private static AppProcess app;
    private static String acmeRunId;
    private static final String ACME_MARKER = "acme-secret-marker-4711";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    record Call(String method, String path, String body, Map<String, String> headers) {
    }

    @BeforeAll
    static void start() throws Exception {
        app = AppProcess.start("it-fuzz", Map.of("AGENT_AUTH", "api-key",
                "AGENT_API_KEYS", "acme=" + ACME + ",globex=" + GLOBEX));
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(app.url("/api/v1/runs")))
                .header("Authorization", "Bearer " + ACME).header("Prefer", "wait=10")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"add todo to " + ACME_MARKER + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        acmeRunId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).get("run_id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void neverA5xxNeverAStackTraceNeverAnotherTenantsData() {
        Property.forAll(300, calls(), this::neverA5xxNeverAStackTraceNeverAnotherTenantsData);
    }

    private void neverA5xxNeverAStackTraceNeverAnotherTenantsData(Call call) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url(call.path())))
                .timeout(Duration.ofSeconds(15))
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        call.headers().forEach(request::header);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as("%s", call).isLessThan(500);
        assertThat(response.body()).as("%s", call).doesNotContain("Exception").doesNotContain("\tat ");
        // Surrounding whitespace is not part of a header value (RFC 9110): "key " is acme too.
        if (!call.headers().getOrDefault("X-API-Key", "").strip().equals(ACME)) {
            assertThat(response.body()).as("%s", call).doesNotContain(ACME_MARKER);
            if (call.path().startsWith("/api/v1/runs/" + acmeRunId)) {
                // Asking for acme's run by id is refused (the answer may only echo the id the caller sent).
                assertThat(response.statusCode()).as("%s", call).isGreaterThanOrEqualTo(400);
            } else if (!call.path().contains(acmeRunId) || response.statusCode() < 400) {
                // The id as a query parameter (?limit=<id>) names no run: a refusal may echo what was sent, an
                // answer that succeeds must not carry acme's id.
                assertThat(response.body()).as("%s", call).doesNotContain(acmeRunId);
            }
        }
    }

    private static Gen<Call> calls() {
        Gen<String> method = Gen.elements("GET", "POST", "PUT", "DELETE", "PATCH");
        Gen<String> id = Gen.oneOf(random -> acmeRunId,
                Gen.strings("abcdef0123456789-%./\\'\"<>{}", 40),
                Gen.uuids().map(java.util.UUID::toString));
        Gen<String> template = Gen.elements("/api/v1/runs/%s", "/api/v1/runs/%s/events", "/api/v1/runs/%s/cancel",
                "/api/v1/runs?limit=%s", "/api/v1/runs?offset=%s", "/api/v1/runs");
        Gen<String> path = random -> template.next(random).formatted(URLEncoder.encode(id.next(random),
                StandardCharsets.UTF_8));
        Gen<String> body = Gen.oneOf(Gen.constant(null),
                Gen.strings(200),
                Gen.elements("{}", "[]", "null", "{\"prompt\": 1}", "{\"prompt\": [\"x\"]}",
                        "{\"prompt\": \"list todos\"}", "{\"prompt\": \"calculate ((1\"}", "{\"prompt\": {\"$ne\": 1}}"),
                Gen.strings(60).map(p -> "{\"prompt\": \"" + p.replace("\\", "\\\\")
                        .replace("\"", "\\\"") + "\"}"));
        Gen<String> key = Gen.elements(GLOBEX, "", "wrong-key-000000000", ACME.substring(0, 10), ACME + " ");
        Gen<String> type = Gen.elements("", "application/json", "text/plain", "application/x-www-form-urlencoded");
        Gen<String> prefer = Gen.elements("", "wait=1", "wait=-5", "wait=99999999999", "respond-async");
        Gen<String> idem = Gen.elements("", "k", "key with space", "x".repeat(200));
        Gen<Map<String, String>> headers = random -> {
            Map<String, String> h = new java.util.HashMap<>();
            putUnlessEmpty(h, "X-API-Key", key.next(random));
            putUnlessEmpty(h, "Content-Type", type.next(random));
            putUnlessEmpty(h, "Prefer", prefer.next(random));
            putUnlessEmpty(h, "Idempotency-Key", idem.next(random));
            return h;
        };
        return random -> new Call(method.next(random), path.next(random), body.next(random), headers.next(random));
    }

    private static void putUnlessEmpty(Map<String, String> headers, String name, String value) {
        if (!value.isEmpty()) {
            headers.put(name, value);
        }
    }
}
