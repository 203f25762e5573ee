package dev.agentruntime.store.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.testing.AppProcess;
import dev.agentruntime.testing.RedisProcess;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: a Redis with a small {@code maxmemory} and {@code noeviction} fills up. Then the packaged application
 * answers new runs with 503, Retry-After and a problem that says why, before Redis itself must refuse the writes
 * of runs already accepted: every accepted run completes. Readiness stays up (reads are still served) and says
 * what Redis refuses; no run is half written (each run Redis holds is one the client was told about); once memory
 * is freed, runs are accepted again.
 */
class RedisMemoryLimitIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Room for some hundred runs above what the idle application uses. */
    private static final long HEADROOM = 1_000_000;

    @Test
    void aFullRedisRefusesWritesCleanlyAndRecovers() throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            redis.start();
            try (AppProcess app = AppProcess.start("it-redis-memory", Map.of("AGENT_STORE", "redis",
                    "QUARKUS_REDIS_HOSTS", redis.uri(), "AGENT_QUEUE_CLAIM_IDLE", "2s",
                    // A tiny maxmemory needs a large share kept free: admission reads Redis' memory once a second,
                    // and in a second this test submits a few dozen runs (a real maxmemory's 5% is megabytes).
                    "AGENT_STORE_REDIS_MEMORY_HEADROOM_PERCENT", "30"))) {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                assertThat(submit(http, app, "calculate 1 + 1").statusCode()).isEqualTo(201);
                long used = Long.parseLong(info(redis, "used_memory"));
                redis.command("CONFIG", "SET", "maxmemory-policy", "noeviction");
                redis.command("CONFIG", "SET", "maxmemory", Long.toString(used + HEADROOM));

                List<String> accepted = new ArrayList<>();
                HttpResponse<String> refused = null;
                for (int i = 0; i < 2_000 && refused == null; i++) {
                    HttpResponse<String> answer = submit(http, app, "calculate " + i + " * 2 and add todo to "
                            + "remember " + i + " " + "x".repeat(200));
                    if (answer.statusCode() == 201) {
                        JsonNode run = JSON.readTree(answer.body());
                        accepted.add(run.path("run_id").asText());
                        if (!run.path("status").asText().equals("completed")) {
                            throw new AssertionError("accepted run " + i + " is " + run.path("status").asText()
                                    + "; Redis: used_memory " + info(redis, "used_memory") + " of maxmemory "
                                    + info(redis, "maxmemory") + ", INFO calls "
                                    + redis.bulk("INFO", "commandstats").lines()
                                    .filter(line -> line.startsWith("cmdstat_info")).toList());
                        }
                    } else {
                        refused = answer;
                    }
                }
                assertThat(refused).as("Redis never filled up").isNotNull();
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                        seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
                assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(JSON.readTree(refused.body()).path("detail").asText()).contains("maxmemory");
                assertThat(accepted).hasSizeGreaterThan(5);
                for (String id : accepted) {
                    assertThat(status(http, app, id)).as("accepted run %s", id).isEqualTo("completed");
                }

                // Past its maxmemory, Redis itself refuses writes: the store's check says so and stays up (in
                // /q/health/well since issue 27, ADR 0026), the instance stays ready, reads go on.
                long now = Long.parseLong(info(redis, "used_memory"));
                redis.command("CONFIG", "SET", "maxmemory", Long.toString(now - HEADROOM / 2));
                assertThat(get(http, app.managementUrl("/q/health/ready")).statusCode()).isEqualTo(200);
                JsonNode ready = JSON.readTree(get(http, app.managementUrl("/q/health/well")).body());
                assertThat(ready.path("status").asText()).isEqualTo("UP");
                assertThat(check(ready, "state-store").path("data").path("writable").asBoolean(true)).isFalse();
                assertThat(get(http, app.url("/api/v1/runs/" + accepted.get(0))).statusCode()).isEqualTo(200);
                HttpResponse<String> full = submit(http, app, "calculate 3 + 3");
                assertThat(full.statusCode()).as(full.body()).isEqualTo(503);
                assertThat(full.headers().firstValue("Retry-After")).isPresent();

                // Nothing half written: every run Redis holds was answered 201, or is the first one.
                List<String> stored = runKeys(redis);
                assertThat(stored).hasSize(accepted.size() + 1).containsAll(accepted);

                redis.command("CONFIG", "SET", "maxmemory", "0");
                // A "nearly full" reading decides for a second; after it, Redis is asked again before refusing.
                Thread.sleep(1_100);
                HttpResponse<String> again = submit(http, app, "calculate 2 + 2");
                assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
                assertThat(JSON.readTree(again.body()).path("status").asText()).isEqualTo("completed");
                JsonNode readyAgain = JSON.readTree(get(http, app.managementUrl("/q/health/well")).body());
                assertThat(check(readyAgain, "state-store").path("data").path("writable").asBoolean()).isTrue();
            }
        }
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }

    static String status(HttpClient http, AppProcess app, String id) throws Exception {
        return JSON.readTree(get(http, app.url("/api/v1/runs/" + id)).body()).path("status").asText();
    }

    private static final java.util.regex.Pattern RUN_KEY = java.util.regex.Pattern.compile(
            "agent:run:\\{p\\d+}:([0-9a-f-]{36})");

    private static List<String> runKeys(RedisProcess redis) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = "0";
        do {
            List<String> reply = redis.array("SCAN", cursor, "MATCH", "agent:run:*", "COUNT", "1000");
            cursor = reply.get(0);
            for (String key : reply.subList(1, reply.size())) {
                // A run's own key, agent:run:{pN}:<id> (ADR 0032), not its events or its forks index.
                java.util.regex.Matcher run = RUN_KEY.matcher(key);
                if (run.matches()) {
                    ids.add(run.group(1));
                }
            }
        } while (!cursor.equals("0"));
        return ids;
    }

    static String info(RedisProcess redis, String field) throws Exception {
        for (String line : redis.bulk("INFO", "memory").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        throw new AssertionError("INFO memory has no " + field);
    }

    static HttpResponse<String> submit(HttpClient http, AppProcess app, String prompt) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.url("/api/v1/runs")))
                .header("Content-Type", "application/json").header("Prefer", "wait=5")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("prompt", prompt))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
