package dev.agentruntime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Closed-loop HTTP load for the fault suite: each client POSTs a run with {@code Prefer: wait}, records what it
 * got, and posts again. Targets are asked for before every request (a load balancer's view: a killed instance is
 * taken out of it). Times are milliseconds since the driver started.
 */
public final class LoadDriver implements AutoCloseable {

    /** What one request got: a run (created or answered), a 503 with Retry-After, or anything else. */
    public enum Kind { RUN, UNAVAILABLE, ERROR }

    public record Outcome(long startedAt, long endedAt, String target, Kind kind, int status, String runId,
                          JsonNode run, String detail) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Supplier<List<String>> targets;
    private final IntFunction<String> prompt;
    private final ExecutorService clients;
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final long origin = System.nanoTime();
    private volatile boolean running = true;

    private LoadDriver(int clientCount, Supplier<List<String>> targets, IntFunction<String> prompt) {
        this.targets = targets;
        this.prompt = prompt;
        this.clients = Executors.newFixedThreadPool(clientCount);
        for (int i = 0; i < clientCount; i++) {
            clients.submit(this::loop);
        }
    }

    /** {@code targets}: base URLs such as {@code http://127.0.0.1:8080}; {@code prompt}: the n-th request's prompt. */
    public static LoadDriver start(int clients, Supplier<List<String>> targets, IntFunction<String> prompt) {
        return new LoadDriver(clients, targets, prompt);
    }

    public long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - origin);
    }

    /** Stops sending and waits for the requests in flight; returns every outcome, oldest first. */
    public List<Outcome> stop() throws InterruptedException {
        running = false;
        clients.shutdown();
        if (!clients.awaitTermination(60, TimeUnit.SECONDS)) {
            clients.shutdownNow();
        }
        List<Outcome> all = new ArrayList<>(outcomes);
        all.sort(Comparator.comparingLong(Outcome::startedAt));
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void loop() {
        while (running) {
            int n = sequence.incrementAndGet();
            List<String> live = targets.get();
            String target = live.get(n % live.size());
            Outcome outcome = send(target, prompt.apply(n));
            outcomes.add(outcome);
            if (outcome.kind() != Kind.RUN) {
                pause(100);
            }
        }
    }

    private Outcome send(String target, String text) {
        long started = now();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(target + "/api/v1/runs"))
                            .timeout(Duration.ofSeconds(20))
                            .header("Content-Type", "application/json").header("Prefer", "wait=10")
                            .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(Map.of("prompt", text))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 200 || status == 201) {
                JsonNode run = MAPPER.readTree(response.body());
                return new Outcome(started, now(), target, Kind.RUN, status, run.path("run_id").asText(), run, null);
            }
            Optional<String> retryAfter = response.headers().firstValue("Retry-After");
            Kind kind = status == 503 && retryAfter.isPresent() ? Kind.UNAVAILABLE : Kind.ERROR;
            return new Outcome(started, now(), target, kind, status, null, null,
                    "HTTP " + status + " Retry-After=" + retryAfter.orElse("-") + " " + response.body());
        } catch (IOException e) {
            return new Outcome(started, now(), target, Kind.ERROR, 0, null, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(started, now(), target, Kind.ERROR, 0, null, null, "interrupted");
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
