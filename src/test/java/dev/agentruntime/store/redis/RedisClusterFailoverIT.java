package dev.agentruntime.store.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.testing.AppProcess;
import dev.agentruntime.testing.RedisCluster;
import dev.agentruntime.testing.RedisProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 31, the failover under load: two instances of the packaged app on a local Redis Cluster (3 primaries, 3
 * replicas); 300 two-step todo runs are submitted across both while the primary holding the tenant's todos (and
 * some of the run partitions) is killed (SIGKILL) and its replica promoted. Clients see only {@code 201} or
 * {@code 503} with {@code Retry-After}; every accepted run ends; no todo is written twice. Prints the figures: runs
 * accepted, ended, lost, and how long submissions were refused.
 */
class RedisClusterFailoverIT {

    private static final int RUNS = 300;
    /**
     * Submissions start this far apart: 300 over about 7.5 s, the kill after the first fifth, so that submissions go
     * on for a while after the replica has taken over (3 to 5 s with a node timeout of 2 s).
     */
    private static final Duration PACE = Duration.ofMillis(25);
    private static final int KILL_AFTER = 60;
    private static final Duration BOUND = Duration.ofSeconds(40);

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RedisCluster cluster;
    private AppProcess first;
    private AppProcess second;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[]{first, second, cluster}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void everyAcceptedRunEndsAndNoTodoIsWrittenTwiceWhileAPrimaryFailsOver() throws Exception {
        cluster = RedisCluster.start();
        // The primary of the tenant's todos (tagged {default}), which also serves some run partitions.
        RedisProcess victim = cluster.primaryFor("probe{default}");
        Map<String, String> env = Map.of("AGENT_STORE", "redis", "QUARKUS_REDIS_CLIENT_TYPE", "cluster",
                "QUARKUS_REDIS_HOSTS", String.join(",", cluster.uris()),
                "AGENT_QUEUE_CLAIM_IDLE", "2s", "AGENT_QUEUE_MAX_CONCURRENT", "32",
                "AGENT_QUEUE_MAX_UNFINISHED_PER_TENANT", "0");
        // Both start at once: a start is mostly waiting on the JVM, and the test's minute is better spent on runs.
        CompletableFuture<AppProcess> starting = CompletableFuture.supplyAsync(() -> start("it-cluster-second", env));
        first = start("it-cluster-first", env);
        second = starting.join();

        List<Integer> unexpected = new CopyOnWriteArrayList<>();
        Map<Integer, String> accepted = new ConcurrentHashMap<>();
        Set<Integer> refused = ConcurrentHashMap.newKeySet();
        List<Long> refusedAtMs = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> posts = new ArrayList<>();
        Instant start = Instant.now();
        long killedAt = 0;
        for (int i = 0; i < RUNS; i++) {
            if (i == KILL_AFTER) {
                victim.kill();
                killedAt = System.nanoTime();
            }
            int n = i;
            AppProcess target = i % 2 == 0 ? first : second;
            posts.add(http.sendAsync(HttpRequest.newBuilder(URI.create(target.url("/api/v1/runs")))
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    mapper.writeValueAsString(Map.of("prompt", prompt(n)))))
                            .build(), HttpResponse.BodyHandlers.ofString())
                    .thenAccept(response -> {
                        if (response.statusCode() == 201) {
                            accepted.put(n, read(response.body()).get("run_id").asText());
                        } else if (response.statusCode() == 503
                                && response.headers().firstValue("Retry-After").isPresent()) {
                            refused.add(n);
                            refusedAtMs.add(System.nanoTime() / 1_000_000);
                        } else {
                            unexpected.add(response.statusCode());
                        }
                    }));
            Thread.sleep(PACE.toMillis());
        }
        CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).join();
        assertThat(unexpected).as("answers other than 201 and 503 + Retry-After").isEmpty();

        Map<Integer, JsonNode> ended = new TreeMap<>();
        Set<Integer> notFound = new java.util.TreeSet<>();
        while (ended.size() + notFound.size() < accepted.size()
                && Duration.between(start, Instant.now()).compareTo(BOUND) < 0) {
            for (var entry : accepted.entrySet()) {
                if (ended.containsKey(entry.getKey())) {
                    continue;
                }
                HttpResponse<String> response = get((entry.getKey() % 2 == 0 ? second : first)
                        .url("/api/v1/runs/" + entry.getValue()));
                if (response.statusCode() == 404) {
                    notFound.add(entry.getKey());
                } else if (response.statusCode() == 200) {
                    notFound.remove(entry.getKey());
                    JsonNode run = read(response.body());
                    if (Set.of("completed", "failed", "cancelled").contains(run.get("status").asText())) {
                        ended.put(entry.getKey(), run);
                    }
                } else if (response.statusCode() != 503 || response.headers().firstValue("Retry-After").isEmpty()) {
                    unexpected.add(response.statusCode());
                }
            }
            Thread.sleep(200);
        }
        Duration took = Duration.between(start, Instant.now());

        Map<String, Integer> copies = new HashMap<>();
        for (int offset = 0; offset < RUNS + 100; offset += 100) {
            read(get(first.url("/api/v1/todos?limit=100&offset=" + offset)).body()).path("todos")
                    .forEach(todo -> copies.merge(todo.get("text").asText(), 1, Integer::sum));
        }
        long completed = ended.values().stream().filter(run -> run.get("status").asText().equals("completed"))
                .count();
        long lost = accepted.size() - ended.size();
        double refusing = refusedAtMs.isEmpty() ? 0 : (refusedAtMs.stream().mapToLong(Long::longValue).max()
                .orElseThrow() - killedAt / 1_000_000) / 1000.0;
        System.out.printf("cluster failover: %d runs submitted over two instances, %d accepted (201), %d refused "
                        + "(503 + Retry-After, the last %.1f s after the kill); %d ended (%d completed) within %d ms, "
                        + "%d lost (%d not found); %d todos, %d written twice; killed after submission %d, accepted "
                + "again from submission %d%n", RUNS, accepted.size(),
                refused.size(), refusing, ended.size(), completed, took.toMillis(), lost, notFound.size(),
                copies.size(), copies.values().stream().filter(count -> count > 1).count(), KILL_AFTER,
                accepted.keySet().stream().filter(n -> n > refused.stream().mapToInt(Integer::intValue).max()
                        .orElse(RUNS)).mapToInt(Integer::intValue).min().orElse(-1));

        assertThat(unexpected).as("answers other than 2xx and 503 + Retry-After").isEmpty();
        assertThat(accepted.size() + refused.size()).isEqualTo(RUNS);
        assertThat(refused).as("submissions refused while the primary was replaced").isNotEmpty();
        assertThat(accepted.keySet()).as("submissions accepted again once the replica took over")
                .anyMatch(n -> n > refused.stream().mapToInt(Integer::intValue).max().orElseThrow());
        assertThat(lost).as("accepted runs that did not end (runs lost)").isZero();
        assertThat(copies.values()).as("todos written twice").allMatch(count -> count == 1);
        // A run that completed wrote its todo, once; one refused may not have written one.
        for (var run : ended.entrySet()) {
            if (run.getValue().get("status").asText().equals("completed")) {
                assertThat(copies).as("the todo of run %d", run.getKey()).containsKey(text(run.getKey()));
            }
        }
    }

    private static String prompt(int n) {
        return "add todo to " + text(n) + " then wait 0.5 seconds";
    }

    private static String text(int n) {
        return "buy part " + n;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static AppProcess start(String name, Map<String, String> env) {
        try {
            return AppProcess.start(name, env);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private JsonNode read(String body) {
        try {
            return mapper.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
