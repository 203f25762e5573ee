package dev.agentruntime.store.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.testing.AppProcess;
import dev.agentruntime.testing.RedisProcess;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A normal stop (SIGTERM) of the packaged application on Redis warns of nothing: every stop logged "run queue
 * unavailable: CONNECTION_CLOSED" at WARN, the queue's blocked read failing as the Redis client closed under it.
 */
class QuietShutdownIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStopOnRedisLogsNoWarning() throws Exception {
        String name = "it-quiet-shutdown";
        try (RedisProcess redis = new RedisProcess()) {
            redis.start();
            try (AppProcess app = AppProcess.start(name, Map.of("AGENT_STORE", "redis",
                    "QUARKUS_REDIS_HOSTS", redis.uri()))) {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                HttpResponse<String> run = RedisMemoryLimitIT.submit(http, app, "calculate 1 + 1");
                assertThat(run.statusCode()).as(run.body()).isEqualTo(201);
                assertThat(JSON.readTree(run.body()).path("status").asText()).isEqualTo("completed");
                // Long enough for the queue's read to be blocked in Redis (up to a second) when the stop comes.
                Thread.sleep(300);
            }
        }
        List<String> log = Files.readAllLines(Path.of("target", name + ".log"));
        assertThat(log).as("the application stopped and said so").anySatisfy(line ->
                assertThat(line).contains("stopped in"));
        assertThat(log).noneSatisfy(line -> assertThat(line).containsAnyOf("\"level\":\"WARN\"",
                "\"level\":\"ERROR\"").contains("run queue unavailable"));
    }
}
