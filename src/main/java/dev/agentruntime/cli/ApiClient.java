package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The HTTP API of a running server over the JDK's own client (no engine, no CDI: a client command starts in the
 * time the JVM or the binary takes). A problem answer becomes a {@link CliException} whose message is one line:
 * status, title and detail. A run's event stream reconnects with {@code Last-Event-ID} when it drops.
 */
final class ApiClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A cancel answers once the run has ended, which the server waits for up to its cancel-wait (5 s). */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /** How long an event stream may stay lost before the follower gives up. */
    static final Duration RECONNECT_FOR = Duration.ofSeconds(30);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);

    private final URI base;
    private final Optional<String> bearer;
    private final ObjectMapper json;
    private final HttpClient http;

    ApiClient(URI base, Optional<String> bearer, ObjectMapper json) {
        this.base = base;
        this.bearer = bearer;
        this.json = json;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    ObjectMapper json() {
        return json;
    }

    JsonNode get(String pathAndQuery) {
        return call(request(pathAndQuery).GET());
    }

    /**
     * The health page, which a server answers with 503 when a check is down: that answer is the page too, not a
     * problem.
     */
    JsonNode health() {
        HttpResponse<String> response = send(request("/api/v1/health").GET());
        if (response.statusCode() >= 400 && response.statusCode() != 503) {
            throw problem(response.statusCode(), response.body());
        }
        return readTree(response.body());
    }

    /** POSTs {@code body} as JSON (none when null). */
    JsonNode post(String path, JsonNode body) {
        return post(path, body, Map.of());
    }

    JsonNode post(String path, JsonNode body, Map<String, String> headers) {
        HttpRequest.Builder request = request(path);
        headers.forEach(request::header);
        if (body == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.compact(json, body)));
        }
        return call(request);
    }

    /** {@code value} for a query string. */
    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * Delivers the run's events after {@code lastEventId} to {@code sink} until the terminal one, on the calling
     * thread. A dropped connection, a stream that ends early or a 5xx is retried from the last event received, for
     * {@link #RECONNECT_FOR}; a 4xx ends the stream with its problem.
     */
    void follow(String runId, String lastEventId, RunSession.EventSink sink) {
        new EventStream(runId, lastEventId, sink).follow();
    }

    /** One follower's stream across its connections: the last event it got, and since when it is lost. */
    private final class EventStream {

        private final String runId;
        private final RunSession.EventSink sink;
        private final SseParser parser = new SseParser(this::received);
        private String lastEventId;
        private boolean ended;
        private boolean receivedSinceConnected;
        private long lostSince;
        private Duration retry = FIRST_RETRY;

        EventStream(String runId, String lastEventId, RunSession.EventSink sink) {
            this.runId = runId;
            this.lastEventId = lastEventId;
            this.sink = sink;
        }

        void follow() {
            while (true) {
                String lostBecause;
                try {
                    lostBecause = connect();
                } catch (IOException | UncheckedIOException dropped) {
                    lostBecause = reason(dropped);
                } catch (CliException failure) {
                    sink.closed(failure);
                    return;
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (lostBecause == null || !retryAfter(lostBecause)) {
                    return;
                }
            }
        }

        /** Reads one connection to its end: null once the stream is over, else why it was lost. */
        private String connect() throws IOException, InterruptedException {
            HttpRequest.Builder request = request("/api/v1/runs/" + query(runId) + "/events")
                    .header("Accept", "text/event-stream").GET();
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                if (response.statusCode() >= 500) {
                    return "the server answered " + response.statusCode();
                }
                if (response.statusCode() != 200) {
                    sink.closed(problem(response.statusCode(), lines.collect(Collectors.joining("\n"))));
                    return null;
                }
                if (lostSince != 0) {
                    sink.notice("event stream of run " + runId + " found again");
                    lostSince = 0;
                }
                receivedSinceConnected = false;
                for (String line : (Iterable<String>) lines::iterator) {
                    parser.line(line);
                    if (ended) {
                        sink.closed(null);
                        return null;
                    }
                }
                return "the server ended it early";
            }
        }

        private void received(SseParser.Event event) {
            StreamEvent received = new StreamEvent(event.id(), event.name(), readTree(event.data()));
            lastEventId = event.id();
            ended = received.terminal();
            receivedSinceConnected = true;
            sink.event(received);
        }

        /**
         * Waits before the next connection, longer each time unless the last one brought events; false when the
         * stream has been lost for {@link #RECONNECT_FOR} (the sink then has the failure).
         */
        private boolean retryAfter(String lostBecause) {
            if (receivedSinceConnected) {
                retry = FIRST_RETRY;
            }
            long now = System.nanoTime();
            if (lostSince == 0) {
                lostSince = now;
                sink.notice("event stream of run " + runId + " lost (" + lostBecause + "); reconnecting"
                        + (lastEventId == null ? "" : " after event " + lastEventId));
            } else if (now - lostSince > RECONNECT_FOR.toNanos()) {
                sink.closed(new CliException(ExitCode.FAILED, "lost the event stream of run " + runId + " for "
                        + RECONNECT_FOR.toSeconds() + " s (" + lostBecause + "); the run goes on: follow it again "
                        + "with agent-runtime runs watch " + runId));
                return false;
            }
            try {
                Thread.sleep(retry.toMillis());
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
                return false;
            }
            retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
            return true;
        }
    }

    private JsonNode call(HttpRequest.Builder request) {
        HttpResponse<String> response = send(request);
        if (response.statusCode() >= 400) {
            throw problem(response.statusCode(), response.body());
        }
        return readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException unreachable) {
            throw new CliException(ExitCode.FAILED, reason(unreachable));
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.INTERRUPTED, "interrupted");
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Accept", "application/json");
        bearer.ifPresent(credential -> request.header("Authorization", "Bearer " + credential));
        return request;
    }

    private JsonNode readTree(String body) {
        try {
            return json.readTree(body);
        } catch (IOException notJson) {
            throw new CliException(ExitCode.FAILED, base + " answered something that is not JSON: "
                    + firstLine(body));
        }
    }

    /** A problem answer (RFC 9457) as one line: "404 Not Found: run … not found". */
    CliException problem(int status, String body) {
        String title = null;
        String detail = null;
        try {
            JsonNode problem = json.readTree(body);
            if (problem != null && problem.isObject()) {
                title = Json.text(problem, "title");
                detail = Json.text(problem, "detail");
            }
        } catch (IOException notJson) {
            detail = body == null || body.isBlank() ? null : firstLine(body);
        }
        String message = status + " " + (title == null ? "error" : title) + (detail == null ? "" : ": " + detail);
        // 400 and 422 say the request itself was wrong (a prompt that cannot be planned among them): usage.
        return new CliException(status == 400 || status == 422 ? ExitCode.USAGE : ExitCode.FAILED, message);
    }

    private String reason(Exception failure) {
        Throwable cause = failure instanceof UncheckedIOException unchecked ? unchecked.getCause() : failure;
        if (cause instanceof ConnectException) {
            return "cannot reach " + base + " (connection refused)";
        }
        if (cause instanceof HttpTimeoutException) {
            return base + " did not answer in time";
        }
        String message = cause.getMessage();
        return "cannot talk to " + base + " (" + (message == null ? cause.getClass().getSimpleName() : message) + ")";
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
