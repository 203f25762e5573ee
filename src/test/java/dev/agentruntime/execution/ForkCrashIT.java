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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 30, item 5: a fork is recovered like any run. The packaged app on a real Redis executes a fork and is
 * SIGKILLed during the fork's first re-run step; a second instance, started only then, takes the fork over: it
 * completes there, and the step it reused from its source is never run again (one todo, no step_started for it).
 */
class ForkCrashIT {

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    @RegisterExtension
    final Started started = new Started();

    @Test
    void aForkKilledMidStepResumesElsewhereWithoutRunningItsReusedStepAgain() throws Exception {
        Map<String, String> env = started.redis().appEnvironment("AGENT_QUEUE_CLAIM_IDLE", "2s");
        // Alone, so that the fork is executed here.
        AppProcess victim = started.add(AppProcess.start("it-fork-victim", env));

        // The source: a todo, then a long wait that a cancellation interrupts; step 3 is skipped.
        String text = "fork-crash-" + UUID.randomUUID();
        JsonNode source = post(victim.url("/api/v1/runs"), Map.of("prompt",
                "add todo to " + text + "; wait 60 seconds; calculate 2 + 2"), 201);
        String sourceId = source.get("run_id").asText();
        awaitStep(victim, sourceId, 1, "running");
        post(victim.url("/api/v1/runs/" + sourceId + "/cancel"), null, 202);
        assertThat(awaitEnd(victim, sourceId).get("status").asText()).isEqualTo("cancelled");

        // Retry from step 2 (the first not completed) with a shorter wait: step 1 is reused.
        JsonNode fork = post(victim.url("/api/v1/runs/" + sourceId + "/fork"),
                Map.of("tool_input", Map.of("seconds", 4)), 201);
        String forkId = fork.get("run_id").asText();
        assertThat(fork.at("/execution_log/0/reused").asBoolean()).isTrue();
        awaitStep(victim, forkId, 1, "running");
        victim.kill();

        Instant killed = Instant.now();
        AppProcess survivor = started.add(AppProcess.start("it-fork-survivor", env));
        JsonNode ended = awaitEnd(survivor, forkId);
        System.out.printf("the fork completed %d ms after its instance was killed (a new one started meanwhile)%n",
                Duration.between(killed, Instant.now()).toMillis());
        assertThat(ended.get("status").asText()).as(ended.toString()).isEqualTo("completed");
        assertThat(ended.get("result").asInt()).isEqualTo(4);
        assertThat(ended.at("/execution_log/0/reused").asBoolean()).isTrue();
        assertThat(ended.at("/execution_log/0")).isEqualTo(withReused(get(survivor.url("/api/v1/runs/" + sourceId))
                .at("/execution_log/0")));

        List<SseClient.Event> events = SseClient.read(survivor.url("/api/v1/runs/" + forkId + "/events"), null,
                Duration.ofSeconds(10)).events();
        List<Integer> started = events.stream().filter(e -> e.name().equals("step_started"))
                .map(this::stepOf).toList();
        List<Integer> completed = events.stream().filter(e -> e.name().equals("step_completed"))
                .map(this::stepOf).toList();
        assertThat(started).as("steps started").doesNotContain(1).contains(2, 3);
        assertThat(completed).as("steps completed").containsExactly(1, 2, 3);
        assertThat(events.stream().map(SseClient.Event::name).toList()).startsWith("run_forked")
                .filteredOn("run_completed"::equals).hasSize(1);

        // The todo of step 1 was written once, by the source.
        long copies = 0;
        for (JsonNode todo : get(survivor.url("/api/v1/todos?limit=100")).path("todos")) {
            copies += todo.get("text").asText().equals(text) ? 1 : 0;
        }
        assertThat(copies).isEqualTo(1);
    }

    private int stepOf(SseClient.Event event) {
        try {
            return mapper.readTree(event.data()).get("step_number").asInt();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode withReused(JsonNode step) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = step.deepCopy();
        copy.put("reused", true);
        return copy;
    }

    /** Waits until step {@code index} (0-based) of the run reads {@code status}. */
    private void awaitStep(AppProcess app, String runId, int index, String status) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!get(app.url("/api/v1/runs/" + runId)).at("/execution_log/" + index + "/status").asText()
                .equals(status)) {
            assertThat(Instant.now()).as("step %d of %s %s", index + 1, runId, status).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private JsonNode awaitEnd(AppProcess app, String runId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(40);
        while (true) {
            JsonNode run = get(app.url("/api/v1/runs/" + runId));
            if (List.of("completed", "failed", "cancelled", "rejected").contains(run.get("status").asText())) {
                return run;
            }
            assertThat(Instant.now()).as("%s ended", runId).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private JsonNode post(String url, Object body, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (body == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return mapper.readTree(response.body());
    }

    private JsonNode get(String url) throws Exception {
        return mapper.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
