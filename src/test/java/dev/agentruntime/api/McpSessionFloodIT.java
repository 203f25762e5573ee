package dev.agentruntime.api;

import dev.agentruntime.testing.AppProcess;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 25: each {@code initialize} kept its client data for 30 minutes, and 490 of 900 KB each filled the heap of
 * a {@code -Xmx256m} jar (the shipped Deployment's): {@code /mcp} answered {@code 500 OutOfMemoryError}. Against the
 * packaged jar with that heap: 1,000 initialize requests of 900 KB (half with a declared length, half chunked), then
 * 1,100 of 15 KiB from ten tenants (100 each fit, the rest are told 429), then one from an eleventh tenant once the
 * instance holds its 1,000 sessions (503). Never a 500; health stays 200; a run and an open session still work.
 */
class McpSessionFloodIT {

    private static final int TENANTS = 10;
    private static final String OUTSIDER = "outsider-key-flood-0123456789";

    @Test
    void thousandsOfLargeInitializeRequestsLeaveTheInstanceHealthyAndNeverA500() throws Exception {
        StringBuilder keys = new StringBuilder("outsider=" + OUTSIDER);
        for (int i = 0; i < TENANTS; i++) {
            keys.append(",t").append(i).append('=').append(key(i));
        }
        try (AppProcess app = AppProcess.start("it-mcp-flood", Map.of("JAVA_TOOL_OPTIONS", "-Xmx256m",
                "AGENT_AUTH", "api-key", "AGENT_API_KEYS", keys.toString()))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            try {
                byte[] huge = initialize("x".repeat(900 * 1024));
                Map<String, Integer> large = flood(clients, 1000, i -> send(http, app, key(i % TENANTS), huge,
                        i % 2 == 0));
                assertThat(large).as("900 KB initialize").containsOnlyKeys("413");

                byte[] small = initialize("y".repeat(15 * 1024));
                Map<Integer, String> sessions = new ConcurrentHashMap<>();
                Map<String, Integer> fitting = flood(clients, TENANTS * 110, i -> {
                    HttpResponse<String> response = post(http, app, key(i % TENANTS), small, null, true);
                    response.headers().firstValue("Mcp-Session-Id").ifPresent(id -> sessions.put(i % TENANTS, id));
                    return Integer.toString(response.statusCode());
                });
                assertThat(fitting).as("15 KiB initialize").containsEntry("200", 1000).containsEntry("429", 100)
                        .containsOnlyKeys("200", "429");
                HttpResponse<String> outsider = post(http, app, OUTSIDER, small, null, true);
                assertThat(outsider.statusCode()).isEqualTo(503);
                assertThat(outsider.headers().firstValue("Retry-After")).isPresent();

                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(app.url("/api/v1/health")))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                HttpResponse<String> listed = post(http, app, key(0), ("{\"jsonrpc\": \"2.0\", \"id\": 2, "
                        + "\"method\": \"tools/list\"}").getBytes(StandardCharsets.UTF_8), sessions.get(0), true);
                assertThat(listed.statusCode()).isEqualTo(200);
                assertThat(listed.body()).contains("run_prompt");
                HttpResponse<String> run = http.send(HttpRequest.newBuilder(URI.create(app.url("/api/v1/runs")))
                        .header("Authorization", "Bearer " + OUTSIDER).header("Content-Type", "application/json")
                        .header("Prefer", "wait=10").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"prompt\": \"calculate 6 * 7\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(run.statusCode()).isEqualTo(201);
                assertThat(run.body()).contains("\"status\":\"completed\"");
                System.out.printf("McpSessionFloodIT: 900 KB initialize %s; 15 KiB initialize %s; then %d; RSS %d MB%n",
                        large, fitting, outsider.statusCode(), app.memoryKb("VmRSS") / 1024);
            } finally {
                clients.shutdownNow();
            }
        }
    }

    /** Sends {@code count} requests on four threads; the answers' statuses (or failures) counted. */
    private static Map<String, Integer> flood(ExecutorService clients, int count, Request request) throws Exception {
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            sent.add(clients.submit(() -> {
                String outcome;
                try {
                    outcome = request.send(n);
                } catch (IOException e) {
                    outcome = e.getClass().getSimpleName();
                }
                seen.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                return null;
            }));
        }
        for (Future<?> each : sent) {
            each.get();
        }
        return seen.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(),
                (a, b) -> a, TreeMap::new));
    }

    @FunctionalInterface
    private interface Request {
        String send(int n) throws IOException, InterruptedException;
    }

    private static String send(HttpClient http, AppProcess app, String key, byte[] body, boolean declared)
            throws IOException, InterruptedException {
        return Integer.toString(post(http, app, key, body, null, declared).statusCode());
    }

    private static HttpResponse<String> post(HttpClient http, AppProcess app, String key, byte[] body, String session,
                                             boolean declared) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url("/mcp")))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(declared ? HttpRequest.BodyPublishers.ofByteArray(body)
                        : HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] initialize(String padding) {
        return ("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": {\"protocolVersion\": "
                + "\"2025-06-18\", \"capabilities\": {\"experimental\": {\"pad\": \"" + padding + "\"}}, "
                + "\"clientInfo\": {\"name\": \"flood\", \"version\": \"1\"}}}").getBytes(StandardCharsets.UTF_8);
    }

    private static String key(int tenant) {
        return "t" + tenant + "-key-flood-0123456789";
    }
}
