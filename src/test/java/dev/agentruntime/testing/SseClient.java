package dev.agentruntime.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;


/** Reads a Server-Sent Events stream to its end, the way a browser's EventSource parses it. */
public final class SseClient {

    public record Event(String id, String name, String data) {
    }

    public record Stream(int status, List<Event> events) {
    }

    private SseClient() {
    }

    public static Stream read(String url, String lastEventId, Duration timeout) {
        return read(url, lastEventId, timeout, event -> { });
    }

    /** Reads until the server ends the stream; {@code onEvent} sees each event as it arrives. */
    public static Stream read(String url, String lastEventId, Duration timeout, Consumer<Event> onEvent) {
        return read(url, lastEventId, timeout, onEvent, java.util.Map.of());
    }

    /** The same, with request headers (credentials). */
    public static Stream read(String url, String lastEventId, Duration timeout, Consumer<Event> onEvent,
                              java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "text/event-stream");
        headers.forEach(request::header);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient()
                    .send(request.build(), HttpResponse.BodyHandlers.ofLines());
            List<Event> events = new ArrayList<>();
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            try (java.util.stream.Stream<String> lines = response.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.isEmpty()) {
                        if (name != null || data.length() > 0) {
                            Event event = new Event(id, name, data.toString());
                            events.add(event);
                            onEvent.accept(event);
                        }
                        name = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).strip());
                    }
                }
            }
            return new Stream(response.statusCode(), events);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
