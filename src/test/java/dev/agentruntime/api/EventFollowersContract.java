package dev.agentruntime.api;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 13, item 6: 400 followers of one run on Redis got 503s (the pool's wait queue was full) or an empty stream
 * with no terminal event; a malformed Last-Event-ID got 200 and an empty stream, and an id past the end of an ended
 * run kept the stream open.
 */
abstract class EventFollowersContract {

    private static final int FOLLOWERS = 400;

    @Test
    void fourHundredFollowersOfOneRunEachGetEveryEventAndTheEnd() throws Exception {
        String id = given().contentType(ContentType.JSON).body("{\"prompt\": \"wait 2 seconds then calculate 6 * 7\"}")
                .post("/api/v1/runs").then().statusCode(201).extract().path("run_id");
        String url = RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/runs/" + id + "/events";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<CompletableFuture<HttpResponse<String>>> followers = new ArrayList<>();
        for (int i = 0; i < FOLLOWERS; i++) {
            followers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(followers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        List<String> problems = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> follower : followers) {
            HttpResponse<String> stream = follower.get();
            if (stream.statusCode() != 200 || !stream.body().contains("run_completed")
                    || !stream.body().contains("run_started")) {
                problems.add(stream.statusCode() + ": " + stream.body().lines().limit(3).toList());
            }
        }
        assertThat(problems).as("followers without every event and the end").isEmpty();
    }

    @Test
    void aMalformedLastEventIdIs400AndAnIdPastTheEndOfAnEndedRunEndsAtOnce() throws Exception {
        String id = given().contentType(ContentType.JSON).header("Prefer", "wait=10")
                .body("{\"prompt\": \"calculate 1 + 1\"}").post("/api/v1/runs")
                .then().statusCode(201).body("status", equalTo("completed")).extract().path("run_id");

        given().header("Last-Event-ID", "not an id").get("/api/v1/runs/" + id + "/events").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("Last-Event-ID"));

        String url = RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/runs/" + id + "/events";
        HttpResponse<String> all = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        String lastId = all.body().lines().filter(l -> l.startsWith("id:")).reduce((a, b) -> b).orElseThrow()
                .substring(3).strip();
        long started = System.nanoTime();
        HttpResponse<String> after = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Last-Event-ID", lastId).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).doesNotContain("data:");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
}
