package dev.agentruntime.security;

import dev.agentruntime.testing.AppProcess;
import dev.agentruntime.testing.Started;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Two instances on one Redis count a tenant's runs together: the limit holds whichever instance is asked. */
class SharedRateLimitIT {

    private static final String KEY = "acme-shared-0123456789";

    @RegisterExtension
    final Started started = new Started();

    @Test
    void theRateIsSharedAcrossInstances() throws Exception {
        Map<String, String> env = started.redis().appEnvironment("AGENT_AUTH", "api-key", "AGENT_API_KEYS",
                "acme=" + KEY, "AGENT_RATE_LIMIT_RUNS_PER_MINUTE", "6");
        List<AppProcess> apps = List.of(started.add(AppProcess.start("it-rate-a", env)),
                started.add(AppProcess.start("it-rate-b", env)));
        // The window slides over the last 60 s: every start counts, whenever in the minute the test runs.
        HttpClient http = HttpClient.newHttpClient();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            AppProcess app = apps.get(i % 2);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(app.url("/api/v1/runs")))
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"calculate 1 + 1\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
            }
        }
        // Three runs on each instance would pass a per-instance limit of 6 twice over; shared, the 7th is refused.
        assertThat(statuses).containsExactly(201, 201, 201, 201, 201, 201, 429, 429);
    }
}
