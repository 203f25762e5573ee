package dev.agentruntime.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Issue 25: the runtime's own MCP server took any web page's requests, answered malformed JSON-RPC with 500s (or not
 * at all), and kept every session a client opened, with all it sent, for 30 minutes. Now {@code McpEdge} checks the
 * {@code Origin}, the JSON-RPC shape and the body size before the extension, counts sessions by tenant and in all,
 * and keeps each tenant to its own sessions; {@code CrossSiteGuard} keeps other sites' pages from changing anything
 * under {@code /api}.
 */
@QuarkusTest
@TestProfile(McpEdgeTest.Bounds.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class McpEdgeTest {

    static final String ACME = "acme-key-mcp-edge-0123456789";
    static final String GLOBEX = "globex-key-mcp-edge-0123456789";
    static final String INITECH = "initech-key-mcp-edge-0123456789";
    static final String APP = "https://app.example.com";

    public static class Bounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agent.auth.mode", "api-key",
                    "agent.auth.api-keys", "acme=" + ACME + ",globex=" + GLOBEX + ",initech=" + INITECH,
                    "agent.mcp-server.max-sessions", "5", "agent.mcp-server.max-sessions-per-tenant", "3",
                    "agent.mcp-server.max-session-bytes", "2048", "agent.mcp-server.max-body-bytes", "8192",
                    "agent.http.allowed-origins", APP + ", http://tools.internal:8443");
        }
    }

    private final List<String[]> opened = new ArrayList<>();

    @AfterEach
    void endTheSessionsOpened() {
        opened.forEach(session -> given().header("Authorization", "Bearer " + session[0])
                .header("Mcp-Session-Id", session[1]).delete("/mcp"));
        opened.clear();
    }

    @Test
    void aForeignPageGets403InProblemJsonAProgramOrALocalOrAllowedPageDoesNot() {
        for (String origin : List.of("http://evil.example.com", "http://localhost.evil.com", "null",
                "https://app.example.com.evil.com", "http://127.0.0.1.nip.io:8080")) {
            mcp(ACME).header("Origin", origin).body(initialize("x")).post("/mcp").then().statusCode(403)
                    .contentType(Problem.MEDIA_TYPE).body("type", containsString("forbidden-origin"));
        }
        // Also before authentication, and on the legacy SSE endpoint.
        mcp(null).header("Origin", "http://evil.example.com").body(initialize("x")).post("/mcp").then()
                .statusCode(403);
        given().header("Authorization", "Bearer " + ACME).header("Origin", "http://evil.example.com")
                .get("/mcp/sse").then().statusCode(403);
        // As browsers send them (lower case, no default port), which is how the allowed ones must be configured.
        for (String origin : List.of("http://localhost:6274", "http://127.0.0.1:8080", "http://[::1]:3000", APP,
                "http://tools.internal:8443")) {
            open(ACME, mcp(ACME).header("Origin", origin));
            endTheSessionsOpened();
        }
        open(ACME, mcp(ACME));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "[]                                                                          | 400 | -32600 |",
            "null                                                                        | 400 | -32600 |",
            "12                                                                          | 400 | -32600 |",
            "~\"text\"~                                                                  | 400 | -32600 |",
            "[1, 2]                                                                      | 400 | -32600 |",
            "~{\"params\": \"x\"}~                                                       | 400 | -32600 |",
            "~{\"jsonrpc\": \"1.0\", \"id\": 1, \"method\": \"tools/list\"}~             | 400 | -32600 |",
            "~{\"jsonrpc\": \"2.0\", \"id\": {}, \"method\": \"tools/list\"}~            | 400 | -32600 |",
            "~{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": 5}~                          | 400 | -32600 |",
            "~{\"jsonrpc\": \"2.0\", \"id\": 1}~                                         | 400 | -32600 |",
            "~{\"jsonrpc\": \"2.0\", \"id\": \"a-run-id\", \"result\": {}}~                  | 400 | -32600 |",
            "~{\"jsonrpc\": \"2.0\", \"id\": \"x\", \"method\": \"ping\", \"result\": 1}~      | 400 | -32600 |",
            "~[{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": {}}]~ | 400 | -32600 |",
            // The extension takes a batch for answers or requests by its first message (ApiFuzzIT, seed -6680125973920676942).
            "~[{\"jsonrpc\": \"2.0\", \"id\": 7, \"result\": {}}, {\"jsonrpc\": \"2.0\", \"id\": \"x\", \"method\": \"ping\"}]~ | 400 | -32600 |",
            "~[{\"jsonrpc\": \"2.0\", \"id\": \"x\", \"method\": \"ping\"}, {\"jsonrpc\": \"2.0\", \"id\": 7, \"result\": {}}]~ | 400 | -32600 |",
            "~{\"jsonrpc\": \"2.0\", \"id\": 9, \"method\": \"initialize\", \"params\": \"x\"}~ | 200 | -32602 | 9",
            "~{\"jsonrpc\": \"2.0\", \"id\": 9, \"method\": \"initialize\", \"params\": {}}~    | 200 | -32602 | 9",
            "~{\"jsonrpc\": \"2.0\", \"id\": 9, \"method\": \"tools/list\", \"params\": [1]}~  | 200 | -32602 | 9",
            "~{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\", \"params\": 1}~ | 400 | -32602 |",
            "not json                                                                    | 400 | -32700 |",
            "~{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"} trailing~          | 400 | -32700 |"})
    void aMalformedBodyGetsTheJsonRpcErrorTheSpecificationsGiveNeverA500(String body, int status, int code,
                                                                         Integer id) {
        Response response = mcp(ACME).body(body.strip()).post("/mcp");

        response.then().statusCode(status).contentType(ContentType.JSON)
                .body("jsonrpc", equalTo("2.0")).body("error.code", equalTo(code))
                .body("error.message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyString()));
        if (id == null) {
            response.then().body("id", nullValue());
        } else {
            response.then().body("id", equalTo(id));
        }
    }

    @Test
    void aToolCallWithoutANameOrWithArgumentsThatAreNoObjectIsAnsweredInvalidParams() {
        String session = open(ACME, mcp(ACME));
        for (String params : List.of("{\"name\": null}", "{}", "{\"name\": \"\"}", "{\"name\": 5}",
                "{\"name\": \"get_run\", \"arguments\": \"x\"}", "\"x\"")) {
            mcp(ACME).header("Mcp-Session-Id", session)
                    .body("{\"jsonrpc\": \"2.0\", \"id\": 31, \"method\": \"tools/call\", \"params\": " + params + "}")
                    .post("/mcp").then().statusCode(200)
                    .body("id", equalTo(31)).body("error.code", equalTo(-32602));
        }
        // The session still works.
        mcp(ACME).header("Mcp-Session-Id", session)
                .body("{\"jsonrpc\": \"2.0\", \"id\": 32, \"method\": \"tools/list\"}").post("/mcp").then()
                .statusCode(200).body(containsString("run_prompt"));
    }

    @Test
    void sessionsAreBoundedPerTenantAndInAllAndEndingOneFreesItsRoom() {
        for (int i = 0; i < 3; i++) {
            open(ACME, mcp(ACME));
        }
        mcp(ACME).body(initialize("one too many")).post("/mcp").then().statusCode(429)
                .header("Retry-After", "60").contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("tenant 'acme' has 3 MCP sessions open"));
        // Another tenant goes on, up to the instance's bound (5), then everyone waits.
        open(GLOBEX, mcp(GLOBEX));
        open(GLOBEX, mcp(GLOBEX));
        mcp(INITECH).body(initialize("full")).post("/mcp").then().statusCode(503).header("Retry-After", "60")
                .body("detail", containsString("has 5 sessions open"));
        // Ending one (DELETE) frees its room at once.
        String[] first = opened.remove(0);
        given().header("Authorization", "Bearer " + first[0]).header("Mcp-Session-Id", first[1]).delete("/mcp")
                .then().statusCode(200);
        open(INITECH, mcp(INITECH));
    }

    @Test
    void aTenantReachesOnlyItsOwnSessionsAnotherTenantsIsNotThere() {
        String acme = open(ACME, mcp(ACME));
        for (Response foreign : List.of(
                mcp(GLOBEX).header("Mcp-Session-Id", acme).body("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": "
                        + "\"tools/list\"}").post("/mcp"),
                given().header("Authorization", "Bearer " + GLOBEX).header("Mcp-Session-Id", acme).delete("/mcp"),
                given().header("Authorization", "Bearer " + GLOBEX).header("Accept", "text/event-stream")
                        .header("Mcp-Session-Id", acme).get("/mcp"),
                mcp(GLOBEX).header("Mcp-Session-Id", "x".repeat(4000)).body("{\"jsonrpc\": \"2.0\", \"id\": 1, "
                        + "\"method\": \"tools/list\"}").post("/mcp"))) {
            foreign.then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                    .body("detail", containsString("no such MCP session"));
        }
        mcp(ACME).header("Mcp-Session-Id", acme).body("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": "
                + "\"tools/list\"}").post("/mcp").then().statusCode(200);
    }

    @Test
    void bodiesAndWhatASessionKeepsAreBounded() {
        mcp(ACME).body(initialize("x".repeat(3000))).post("/mcp").then().statusCode(413)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("at most 2048 bytes"));
        String session = open(ACME, mcp(ACME));
        mcp(ACME).header("Mcp-Session-Id", session).body("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": "
                        + "\"tools/call\", \"params\": {\"name\": \"get_run\", \"arguments\": {\"run_id\": \""
                        + "y".repeat(9000) + "\"}}}").post("/mcp").then().statusCode(413)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("at most 8192 bytes"));
    }

    @Test
    void aChunkedBodyOverTheBoundIsRefusedToo() throws Exception {
        byte[] big = ("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\", \"params\": {\"pad\": \""
                + "z".repeat(20_000) + "\"}}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url("/mcp")))
                .header("Authorization", "Bearer " + ACME).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void aSessionHoldsAtMostTwoEventStreams() throws Exception {
        String session = open(ACME, mcp(ACME));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest stream = HttpRequest.newBuilder(URI.create(url("/mcp"))).header("Authorization", "Bearer " + ACME)
                .header("Accept", "text/event-stream").header("Mcp-Session-Id", session).GET().build();
        var first = http.sendAsync(stream, HttpResponse.BodyHandlers.ofInputStream());
        var second = http.sendAsync(stream, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        HttpResponse<String> third = http.send(stream, HttpResponse.BodyHandlers.ofString());
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.body()).contains("already has 2 event streams open");
        first.get().body().close();
        second.get().body().close();
    }

    /** Last: the server notices closed streams a moment later, and the other tests count sessions. */
    @Test
    @Order(Integer.MAX_VALUE)
    void legacySseSessionsCountAndBelongToTheTenantThatFirstUsesThem() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest sse = HttpRequest.newBuilder(URI.create(url("/mcp/sse"))).header("Authorization", "Bearer " + GLOBEX)
                .GET().build();
        List<HttpResponse<InputStream>> streams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            streams.add(http.send(sse, HttpResponse.BodyHandlers.ofInputStream()));
        }
        assertThat(streams).allMatch(response -> response.statusCode() == 200);
        assertThat(http.send(sse, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(429);
        String endpoint = new java.io.BufferedReader(new java.io.InputStreamReader(streams.get(0).body(),
                StandardCharsets.UTF_8)).lines().filter(line -> line.startsWith("data:")).findFirst().orElseThrow()
                .substring(5).strip();

        mcpLegacy(GLOBEX).body(initialize("legacy")).post(endpoint).then()
                .statusCode(org.hamcrest.Matchers.lessThan(300));
        mcpLegacy(ACME).body("{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/list\"}").post(endpoint).then()
                .statusCode(404);
        // A Streamable HTTP session's id on the legacy endpoint is not a legacy session (the extension's 500).
        String streamable = open(INITECH, mcp(INITECH));
        mcpLegacy(INITECH).body("{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/list\"}")
                .post("/mcp/messages/" + streamable).then().statusCode(404);

        // Closing a stream gives its room back.
        streams.remove(0).body().close();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            HttpResponse<InputStream> again = http.send(sse, HttpResponse.BodyHandlers.ofInputStream());
            if (again.statusCode() == 200) {
                streams.add(again);
                return true;
            }
            again.body().close();
            return false;
        });
        for (HttpResponse<InputStream> open : streams) {
            open.body().close();
        }
    }

    /**
     * A page cannot send JSON to another site without a CORS preflight, but it can send a body without a
     * Content-Type (a Blob), which the API reads as JSON: that is what a hostile page would send.
     */
    @Test
    void anotherSitesPageCannotChangeAnythingUnderTheApiItsOwnAndProgramsCan() throws Exception {
        String body = "{\"prompt\": \"add todo to obey the other site\"}";
        HttpClient http = HttpClient.newHttpClient();
        for (String site : List.of("cross-site", "same-site")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url("/api/v1/runs")))
                    .header("Authorization", "Bearer " + ACME).header("Sec-Fetch-Site", site)
                    .header("Origin", "http://evil.example.com").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(site).isEqualTo(403);
            assertThat(response.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
            assertThat(response.body()).contains("forbidden-origin");
        }
        given().header("Authorization", "Bearer " + ACME).header("Sec-Fetch-Site", "cross-site")
                .post("/api/v1/runs/" + java.util.UUID.randomUUID() + "/cancel").then().statusCode(403);
        // Reading is not changing; the console (same-origin), an allowed origin and programs go through.
        given().header("Authorization", "Bearer " + ACME).header("Sec-Fetch-Site", "cross-site").get("/api/v1/runs")
                .then().statusCode(200);
        given().header("Authorization", "Bearer " + ACME).header("Sec-Fetch-Site", "same-origin")
                .contentType(ContentType.JSON).body(body).post("/api/v1/runs").then().statusCode(201);
        given().header("Authorization", "Bearer " + ACME).header("Sec-Fetch-Site", "cross-site").header("Origin", APP)
                .contentType(ContentType.JSON).body(body).post("/api/v1/runs").then().statusCode(201);
        given().header("Authorization", "Bearer " + ACME).contentType(ContentType.JSON).body(body)
                .post("/api/v1/runs").then().statusCode(201);
    }

    /** Opens a session for the tenant of {@code key} and says it initialized; ended after the test. */
    private String open(String key, RequestSpecification request) {
        Response response = request.body(initialize("edge-test")).post("/mcp");
        response.then().statusCode(200);
        String session = response.header("Mcp-Session-Id");
        assertThat(session).isNotBlank();
        opened.add(new String[]{key, session});
        mcp(key).header("Mcp-Session-Id", session).body("{\"jsonrpc\": \"2.0\", \"method\": "
                + "\"notifications/initialized\"}").post("/mcp").then().statusCode(202);
        return session;
    }

    private static RequestSpecification mcp(String key) {
        RequestSpecification request = given().contentType(ContentType.JSON)
                .header("Accept", "application/json, text/event-stream");
        return key == null ? request : request.header("Authorization", "Bearer " + key);
    }

    private static RequestSpecification mcpLegacy(String key) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key);
    }

    static String initialize(String clientName) {
        return "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": {\"protocolVersion\": "
                + "\"2025-06-18\", \"capabilities\": {}, \"clientInfo\": {\"name\": \"" + clientName
                + "\", \"version\": \"1\"}}}";
    }

    private static String url(String path) {
        return io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + path;
    }
}
