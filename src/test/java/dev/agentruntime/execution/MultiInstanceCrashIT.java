package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.testing.AppProcess;
import dev.agentruntime.testing.SseClient;
import dev.agentruntime.testing.Started;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the packaged app on one real Redis; 200 runs whose middle step is slow; one instance is
 * SIGKILLed half-way. Every run must end completed, exactly once, with no completed step run again.
 */
class MultiInstanceCrashIT {

    private static final int RUNS = 200;
    private static final Duration BOUND = Duration.ofSeconds(90);

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    @RegisterExtension
    final Started started = new Started();

    @Test
    void runsOfAKilledInstanceAreFinishedByTheOtherExactlyOnce() throws Exception {
        // 200 runs of one tenant at once: over the default quota of unfinished runs, which is not what this tests.
        Map<String, String> env = started.redis().appEnvironment("AGENT_QUEUE_CLAIM_IDLE", "2s",
                "AGENT_QUEUE_MAX_CONCURRENT", "16", "AGENT_QUEUE_MAX_UNFINISHED_PER_TENANT", "0");
        AppProcess survivor = started.add(AppProcess.start("it-survivor", env));
        AppProcess victim = started.add(AppProcess.start("it-victim", env));

        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            AppProcess target = i % 2 == 0 ? survivor : victim;
            String prompt = "add todo to item-" + i + " then wait 1 second then calculate " + i + " + 1";
            posts.add(http.sendAsync(HttpRequest.newBuilder(URI.create(target.url("/api/v1/runs")))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(Map.of("prompt", prompt))))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<String> runIds = new ArrayList<>();
        for (var post : posts) {
            HttpResponse<String> response = post.get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            runIds.add(mapper.readTree(response.body()).get("run_id").asText());
        }
        Instant start = Instant.now();

        Thread.sleep(1500);
        victim.kill();

        Map<String, JsonNode> ended = new HashMap<>();
        while (ended.size() < RUNS && Duration.between(start, Instant.now()).compareTo(BOUND) < 0) {
            for (String id : runIds) {
                if (!ended.containsKey(id)) {
                    JsonNode run = get(survivor.url("/api/v1/runs/" + id));
                    String status = run.get("status").asText();
                    if (status.equals("completed") || status.equals("failed") || status.equals("cancelled")) {
                        ended.put(id, run);
                    }
                }
            }
            Thread.sleep(250);
        }
        Duration took = Duration.between(start, Instant.now());
        assertThat(ended).as("runs ended within %s", BOUND).hasSize(RUNS);
        assertThat(ended.values()).allSatisfy(run -> assertThat(run.get("status").asText())
                .as(run.toString()).isEqualTo("completed"));
        System.out.printf("%d runs completed in %d ms after one of two instances was killed%n", RUNS, took.toMillis());

        for (String id : runIds) {
            List<String> names = SseClient.read(survivor.url("/api/v1/runs/" + id + "/events"), null,
                    Duration.ofSeconds(10)).events().stream().map(SseClient.Event::name).toList();
            assertThat(names).as("events of %s", id).filteredOn("run_completed"::equals).hasSize(1);
            // A completed step that ran again would have completed twice.
            assertThat(names).as("events of %s", id).filteredOn("step_completed"::equals).hasSize(3);
        }

        // Todo lists come in pages of at most 100.
        Map<String, Integer> copies = new HashMap<>();
        for (int offset = 0; offset < RUNS + 100; offset += 100) {
            get(survivor.url("/api/v1/todos?limit=100&offset=" + offset)).path("todos")
                    .forEach(todo -> copies.merge(todo.get("text").asText(), 1, Integer::sum));
        }
        assertThat(copies).hasSize(RUNS);
        assertThat(copies.values()).containsOnly(1);
    }

    private JsonNode get(String url) throws Exception {
        return mapper.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

}
