package dev.agentruntime.api;

import dev.agentruntime.testing.SseClient;
import dev.agentruntime.store.RunEventLog;
import dev.agentruntime.testing.ShortEventRetention;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 19: once an ended run's events are past their retention, its event stream is the compact history rebuilt
 * from the run, and the SSE contract still holds: every event from the start, then the end; {@code Last-Event-ID}
 * resumes after an event; an id at the end ends the stream at once.
 */
abstract class CompactedEventsContract {

    static final Duration RETENTION = ShortEventRetention.RETENTION;

    @Test
    void theCompactHistoryKeepsTheSseContract() throws Exception {
        String id = given().contentType(ContentType.JSON).header("Prefer", "wait=10")
                .body(Map.of("prompt", "calculate 2 + 2 and then add todo to check the compact history"))
                .post("/api/v1/runs").then().statusCode(201).body("status", equalTo("completed"))
                .extract().path("run_id");
        String url = RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/runs/" + id + "/events";
        SseClient.Stream stored = SseClient.read(url, null, Duration.ofSeconds(10));

        Thread.sleep(RETENTION.plusMillis(700).toMillis());
        eventsDropped(id);
        SseClient.Stream compact = SseClient.read(url, null, Duration.ofSeconds(10));

        assertThat(compact.status()).isEqualTo(200);
        List<String> names = compact.events().stream().map(SseClient.Event::name).toList();
        assertThat(names).containsExactlyInAnyOrderElementsOf(stored.events().stream().map(SseClient.Event::name)
                .toList());
        assertThat(names).first().isEqualTo("run_started");
        assertThat(names).last().isEqualTo("run_completed");
        // The same events with the same payloads; steps that ran side by side are in the order of their times,
        // which need not be the order in which their events were written.
        assertThat(compact.events()).extracting(SseClient.Event::data)
                .containsExactlyInAnyOrderElementsOf(stored.events().stream().map(SseClient.Event::data).toList());
        assertThat(compact.events()).extracting(SseClient.Event::id).doesNotContainNull().doesNotHaveDuplicates();

        SseClient.Stream rest = SseClient.read(url, compact.events().get(2).id(), Duration.ofSeconds(10));
        assertThat(rest.events()).isEqualTo(compact.events().subList(3, compact.events().size()));
        String last = compact.events().get(compact.events().size() - 1).id();
        long started = System.nanoTime();
        assertThat(SseClient.read(url, last, Duration.ofSeconds(10)).events()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));

        given().get("/api/v1/runs/" + id).then().statusCode(200).body("status", equalTo("completed"))
                .body("execution_log.size()", equalTo(2));
    }

    @Inject
    RunEventLog log;

    /** The stored events are gone by now: what the stream gives is rebuilt. */
    void eventsDropped(String runId) throws Exception {
        assertThat(log.replay(UUID.fromString(runId), null).collect().asList().await().atMost(Duration.ofSeconds(5)))
                .isEmpty();
    }
}
