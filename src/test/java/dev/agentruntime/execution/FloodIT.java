package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.testing.AppProcess;
import dev.agentruntime.testing.RedisProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, item 1: one tenant flooding todos and list runs used to fill the heap of the memory store (each list
 * run held every todo, ~16 MB) until even liveness stopped answering. On a heap of 256 MB, on each store: one tenant
 * floods while another's runs keep completing, liveness never fails, and what the flooder gets back stays bounded.
 */
class FloodIT {

    private static final String FLOODER = "flooder-key-0123456789";
    private static final String NEIGHBOUR = "neighbour-key-0123456789";
    private static final Duration FLOOD = Duration.ofSeconds(12);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis"})
    void aFloodingTenantNeitherStarvesAnotherNorFillsTheHeap(String store) throws Exception {
        RedisProcess redis = null;
        Map<String, String> env = new HashMap<>(Map.of("JAVA_TOOL_OPTIONS", "-Xmx256m",
                "AGENT_AUTH", "api-key", "AGENT_API_KEYS", "flooder=" + FLOODER + ",neighbour=" + NEIGHBOUR,
                "AGENT_STORE", store));
        if (store.equals("redis")) {
            redis = new RedisProcess();
            redis.start();
            env.put("QUARKUS_REDIS_HOSTS", redis.uri());
        }
        try (AppProcess app = AppProcess.start("it-flood-" + store, env)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Instant end = Instant.now().plus(FLOOD);
            ExecutorService pool = Executors.newFixedThreadPool(10);
            Map<Integer, AtomicInteger> flooderStatuses = new ConcurrentHashMap<>();
            List<String> neighbourProblems = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String> livenessProblems = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger neighbourRuns = new AtomicInteger();
            String text = "x".repeat(900);
            for (int client = 0; client < 8; client++) {
                int id = client;
                pool.submit(() -> {
                    for (int i = 0; Instant.now().isBefore(end); i++) {
                        String prompt = i % 10 == 9 ? "list todos" : "add todo to " + text + " " + id + "-" + i;
                        int status = post(http, app, FLOODER, prompt, false).statusCode();
                        flooderStatuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                });
            }
            pool.submit(() -> {
                while (Instant.now().isBefore(end)) {
                    HttpResponse<String> answer = post(http, app, NEIGHBOUR, "calculate 6 * 7", true);
                    JsonNode run = JSON.readTree(answer.body());
                    if (answer.statusCode() != 201 || !run.path("status").asText().equals("completed")) {
                        neighbourProblems.add(answer.statusCode() + " " + answer.body());
                    }
                    neighbourRuns.incrementAndGet();
                }
                return null;
            });
            pool.submit(() -> {
                while (Instant.now().isBefore(end)) {
                    try {
                        int status = http.send(HttpRequest.newBuilder(URI.create(app.managementUrl("/q/health/live")))
                                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode();
                        if (status != 200) {
                            livenessProblems.add("liveness answered " + status);
                        }
                    } catch (Exception e) {
                        livenessProblems.add("liveness: " + e);
                    }
                    Thread.sleep(200);
                }
                return null;
            });
            pool.shutdown();
            assertThat(pool.awaitTermination(FLOOD.toSeconds() + 60, TimeUnit.SECONDS)).isTrue();

            assertThat(livenessProblems).isEmpty();
            assertThat(neighbourProblems).isEmpty();
            // Every neighbour run completed (above); this only says the neighbour kept going the whole time. It was
            // "more than 10" until a CI run on 2 busy cores managed 9: a count of a timed loop is a speed figure,
            // which belongs in a benchmark; starvation would be one or two runs, all late.
            assertThat(neighbourRuns.get()).isGreaterThanOrEqualTo(5);
            assertThat(flooderStatuses.keySet()).allMatch(status -> status < 500 || status == 503);

            // What the flooder keeps and reads back is bounded: the todo cap and one page per list.
            JsonNode todos = JSON.readTree(get(http, app, FLOODER, "/api/v1/todos?limit=100").body());
            assertThat(todos.path("total_count").asInt()).isLessThanOrEqualTo(1000);
            assertThat(todos.path("todos").size()).isLessThanOrEqualTo(100);
            HttpResponse<String> listing = get(http, app, FLOODER, "/api/v1/runs?limit=100");
            assertThat(listing.statusCode()).isEqualTo(200);
            assertThat(listing.body().length()).isLessThanOrEqualTo(1_048_576);
            HttpResponse<String> heap = http.send(HttpRequest.newBuilder(URI.create(app.managementUrl("/q/metrics")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            double heapUsed = heap.body().lines().filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertThat(heapUsed).as("heap used after the flood").isLessThan(256.0 * 1024 * 1024);
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    private static HttpResponse<String> post(HttpClient http, AppProcess app, String key, String prompt, boolean wait)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url("/api/v1/runs")))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("prompt", prompt))));
        if (wait) {
            request.header("Prefer", "wait=10");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient http, AppProcess app, String key, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.url(path))).header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
