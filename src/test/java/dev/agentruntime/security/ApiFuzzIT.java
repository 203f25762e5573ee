package dev.agentruntime.security;

import dev.agentruntime.testing.AppProcess;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

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

    @BeforeContainer
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

    @AfterContainer
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @Property(tries = 300)
    void neverA5xxNeverAStackTraceNeverAnotherTenantsData(@ForAll("calls") Call call) throws Exception {
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

    @Provide
    Arbitrary<Call> calls() {
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH");
        Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.just(acmeRunId),
                Arbitraries.strings().withChars("abcdef0123456789-%./\\'\"<>{}").ofMaxLength(40),
                Arbitraries.create(() -> java.util.UUID.randomUUID().toString()));
        Arbitrary<String> path = Combinators.combine(Arbitraries.of("/api/v1/runs/%s", "/api/v1/runs/%s/events",
                        "/api/v1/runs/%s/cancel", "/api/v1/runs?limit=%s", "/api/v1/runs?offset=%s", "/api/v1/runs"), id)
                .as((template, value) -> template.formatted(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        Arbitrary<String> body = Arbitraries.oneOf(Arbitraries.just(null),
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.of("{}", "[]", "null", "{\"prompt\": 1}", "{\"prompt\": [\"x\"]}",
                        "{\"prompt\": \"list todos\"}", "{\"prompt\": \"calculate ((1\"}", "{\"prompt\": {\"$ne\": 1}}"),
                Arbitraries.strings().ofMaxLength(60).map(p -> "{\"prompt\": \"" + p.replace("\\", "\\\\")
                        .replace("\"", "\\\"") + "\"}"));
        Arbitrary<Map<String, String>> headers = Combinators.combine(
                Arbitraries.of(GLOBEX, "", "wrong-key-000000000", ACME.substring(0, 10), ACME + " "),
                Arbitraries.of("", "application/json", "text/plain", "application/x-www-form-urlencoded"),
                Arbitraries.of("", "wait=1", "wait=-5", "wait=99999999999", "respond-async"),
                Arbitraries.of("", "k", "key with space", "x".repeat(200)))
                .as((key, type, prefer, idem) -> {
                    Map<String, String> h = new java.util.HashMap<>();
                    if (!key.isEmpty()) {
                        h.put("X-API-Key", key);
                    }
                    if (!type.isEmpty()) {
                        h.put("Content-Type", type);
                    }
                    if (!prefer.isEmpty()) {
                        h.put("Prefer", prefer);
                    }
                    if (!idem.isEmpty()) {
                        h.put("Idempotency-Key", idem);
                    }
                    return h;
                });
        return Combinators.combine(method, path, body, headers).as(Call::new);
    }

}
