package dev.agentruntime.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The production log format, captured to a file: JSON lines, each about a run carrying run_id, no prompt text. */
@QuarkusTest
@TestProfile(JsonLogTest.JsonLogs.class)
class JsonLogTest {

    static final Path LOG = Path.of("target", "json-log-test.log");

    public static class JsonLogs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG.toString(),
                    "quarkus.log.file.json.enabled", "true");
        }
    }

    @Test
    void linesAboutARunCarryItsIdAndNeverThePrompt() throws Exception {
        String secretish = "calculate 271828 + 314159";
        String id = given().contentType(ContentType.JSON).header("Prefer", "wait=10")
                .body(Map.of("prompt", secretish)).post("/api/v1/runs")
                .then().statusCode(201).extract().path("run_id");

        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(LOG).stream()
                .map(line -> {
                    try {
                        return mapper.readTree(line);
                    } catch (Exception notJson) {
                        throw new AssertionError("not a JSON log line: " + line, notJson);
                    }
                }).toList(), all -> all.stream().anyMatch(l -> l.path("message").asText().equals("run completed")));

        List<JsonNode> aboutRun = lines.stream().filter(l -> id.equals(l.at("/mdc/run_id").asText())).toList();
        assertThat(aboutRun).extracting(l -> l.path("message").asText())
                .contains("run started (1 steps, planner rules)", "run completed");
        assertThat(aboutRun).allSatisfy(l -> assertThat(l.path("level").asText()).isNotBlank());
        assertThat(Files.readString(LOG)).doesNotContain("271828 + 314159");
    }

    /** Issue 13, item 9: a failed step's error echoes what the user typed ("no todo with id '…'") and was logged. */
    @Test
    void aFailedRunLogsWhereItFailedButNotWhatTheUserTyped() throws Exception {
        String id = given().contentType(ContentType.JSON).header("Prefer", "wait=10")
                .body(Map.of("prompt", "complete todo zebra-7e3f-unique and then calculate 1 / 0"))
                .post("/api/v1/runs").then().statusCode(201).body("status", org.hamcrest.Matchers.equalTo("failed"))
                .body("error", org.hamcrest.Matchers.containsString("zebra-7e3f-unique"))
                .extract().path("run_id");

        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(LOG).contains(id)
                && Files.readString(LOG).contains("run failed"));
        String log = Files.readString(LOG);
        assertThat(log).contains("run failed at step 1 (todo_store)").doesNotContain("zebra-7e3f-unique");
    }
}
