package dev.agentruntime.store.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.agentruntime.testing.AppProcess;
import dev.agentruntime.testing.RedisProcess;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.agentruntime.testing.OpenAiMock.answer;
import static dev.agentruntime.testing.OpenAiMock.chatCompletions;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26, item 2, on the packaged application: with the LLM planner and the plan cache, POSTs refused because
 * Redis was nearly full still called the model and wrote plan-cache entries (1,254 calls for 2,177 refusals), so
 * Redis filled up and runs accepted earlier could not write their steps. Now admission is decided before the model
 * is asked and a plan is cached only once its run is accepted: a refused run calls no model and writes no entry,
 * Redis stays under its maxmemory, and every accepted run completes.
 */
class PlanningAdmissionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HEADROOM = 1_000_000;
    private static final int REFUSALS = 200;

    @Test
    void aRefusedRunCallsNoModelAndCachesNothingAndEveryAcceptedRunCompletes() throws Exception {
        WireMockServer model = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        model.start();
        try (RedisProcess redis = new RedisProcess()) {
            model.stubFor(chatCompletions().willReturn(answer("""
                    {"steps": [{"step_number": 1, "tool_name": "calculator", "tool_input": {"expression": "6 * 7"}},
                               {"step_number": 2, "tool_name": "todo_store", "tool_input": {"action": "add",
                                "text": "{{steps.1.output}} %s"}}]}""".formatted("x".repeat(300)), 100, 20)));
            redis.start();
            try (AppProcess app = AppProcess.start("it-planning-admission", Map.of("AGENT_STORE", "redis",
                    "QUARKUS_REDIS_HOSTS", redis.uri(), "AGENT_QUEUE_CLAIM_IDLE", "2s",
                    "AGENT_PLANNER", "llm", "OPENAI_BASE_URL", model.baseUrl() + "/v1/",
                    "OPENAI_API_KEY", "test-key-not-real", "AGENT_PLANNER_CACHE_TTL", "1h",
                    // Refused above 80% of maxmemory (used + 1 MB): some 390 KB for accepted runs before the first
                    // refusal. At 30% it was some 90 KB, and a Redis client buffer or two more (CI, stop 36) left
                    // room for only 5 runs.
                    "AGENT_STORE_REDIS_MEMORY_HEADROOM_PERCENT", "20"))) {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                assertThat(RedisMemoryLimitIT.submit(http, app, "note the first answer").statusCode()).isEqualTo(201);
                long used = Long.parseLong(RedisMemoryLimitIT.info(redis, "used_memory"));
                redis.command("CONFIG", "SET", "maxmemory-policy", "noeviction");
                redis.command("CONFIG", "SET", "maxmemory", Long.toString(used + HEADROOM));

                List<String> accepted = new ArrayList<>();
                List<String> problems = new ArrayList<>();
                int refused = 0;
                long memoryAtFirstRefusal = 0;
                // Each prompt is new: the model plans it, and its plan would be a new cache entry.
                for (int i = 0; i < 3_000 && refused < REFUSALS; i++) {
                    int callsBefore = calls(model);
                    int entriesBefore = planEntries(redis);
                    HttpResponse<String> answer = RedisMemoryLimitIT.submit(http, app, "note answer number " + i);
                    if (answer.statusCode() == 201) {
                        accepted.add(JSON.readTree(answer.body()).path("run_id").asText());
                        String status = JSON.readTree(answer.body()).path("status").asText();
                        if (!status.equals("completed")) {
                            problems.add("accepted run " + i + " is " + status);
                        }
                        continue;
                    }
                    if (answer.statusCode() != 503 || !answer.body().contains("maxmemory")) {
                        problems.add("run " + i + " answered " + answer.statusCode() + ": " + answer.body());
                    }
                    if (refused++ == 0) {
                        memoryAtFirstRefusal = Long.parseLong(RedisMemoryLimitIT.info(redis, "used_memory"));
                    }
                    if (calls(model) != callsBefore) {
                        problems.add("refused run " + i + " called the model");
                    }
                    if (planEntries(redis) != entriesBefore) {
                        problems.add("refused run " + i + " wrote a plan-cache entry");
                    }
                }
                long memoryAfter = Long.parseLong(RedisMemoryLimitIT.info(redis, "used_memory"));
                System.out.printf("%d runs accepted, %d refused; model calls %d; plan-cache entries %d; Redis used "
                                + "%d bytes at the first refusal, %d after the last (maxmemory %d)%n", accepted.size(),
                        refused, calls(model), planEntries(redis), memoryAtFirstRefusal, memoryAfter,
                        used + HEADROOM);

                assertThat(problems).isEmpty();
                assertThat(refused).as("Redis never filled up").isEqualTo(REFUSALS);
                assertThat(accepted).hasSizeGreaterThan(5);
                // One call and one cache entry per accepted run (and the first), none for a refused one.
                assertThat(calls(model)).isEqualTo(accepted.size() + 1);
                assertThat(planEntries(redis)).isEqualTo(accepted.size() + 1);
                assertThat(memoryAfter).as("memory after the refusals").isLessThan(used + HEADROOM);
                for (String id : accepted) {
                    assertThat(RedisMemoryLimitIT.status(http, app, id)).as("accepted run %s", id)
                            .isEqualTo("completed");
                }
            }
        } finally {
            model.stop();
        }
    }

    private static int calls(WireMockServer model) {
        return model.countRequestsMatching(postRequestedFor(urlPathMatching(".*/chat/completions")).build())
                .getCount();
    }

    private static int planEntries(RedisProcess redis) throws Exception {
        int entries = 0;
        String cursor = "0";
        do {
            List<String> reply = redis.array("SCAN", cursor, "MATCH", "agent:plan:*", "COUNT", "1000");
            cursor = reply.get(0);
            entries += reply.size() - 1;
        } while (!cursor.equals("0"));
        return entries;
    }
}
