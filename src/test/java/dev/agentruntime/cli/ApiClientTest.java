package dev.agentruntime.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client's side of the HTTP API against a JDK HTTP server that misbehaves on purpose. */
class ApiClientTest {

    private final HttpServer server;
    private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    ApiClientTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aProblemIsOneLineAndItsStatusPicksTheExitCode() {
        serve("/api/v1/runs", exchange -> answer(exchange, 422, "application/problem+json",
                "{\"type\":\"urn:x\",\"title\":\"Unprocessable\",\"status\":422,\"detail\":\"cannot plan\\nthat\"}"));
        serve("/api/v1/runs/x", exchange -> answer(exchange, 404, "application/problem+json",
                "{\"title\":\"Not found\",\"status\":404,\"detail\":\"Run x not found\"}"));
        serve("/api/v1/todos", exchange -> answer(exchange, 502, "text/html", "<html>\nBad gateway</html>"));
        ApiClient api = client(Optional.of("secret-key"));

        assertThatThrownBy(() -> api.post("/api/v1/runs", api.json().createObjectNode().put("prompt", "p")))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exit).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).isEqualTo("422 Unprocessable: cannot plan\nthat");
                });
        assertThatThrownBy(() -> api.get("/api/v1/runs/x")).isInstanceOfSatisfying(CliException.class, e -> {
            assertThat(e.exit).isEqualTo(ExitCode.FAILED);
            assertThat(e.getMessage()).isEqualTo("404 Not found: Run x not found");
        });
        assertThatThrownBy(() -> api.get("/api/v1/todos")).isInstanceOfSatisfying(CliException.class,
                e -> assertThat(e.getMessage()).isEqualTo("502 error: <html>"));
        assertThat(authorizations).containsOnly("Bearer secret-key");
    }

    @Test
    void aStreamThatFailsOrEndsEarlyIsReadAgainAfterTheLastEventItGave() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        serve("/api/v1/runs/r/events", exchange -> {
            lastEventIds.add(String.valueOf(exchange.getRequestHeaders().getFirst("Last-Event-ID")));
            switch (connections.incrementAndGet()) {
                case 1 -> answer(exchange, 200, "text/event-stream",
                        "id: 1\nevent: run_started\ndata: {\"status\":\"running\"}\n\n");
                case 2 -> answer(exchange, 503, "application/problem+json", "{\"title\":\"Unavailable\"}");
                default -> answer(exchange, 200, "text/event-stream",
                        "id: 2\nevent: run_completed\ndata: {\"status\":\"completed\",\"result\":42}\n\n"
                                + "id: 3\nevent: never_read\ndata: {}\n\n");
            }
        });
        Recorder sink = new Recorder();

        client(Optional.empty()).follow("r", null, sink);

        assertThat(sink.closed.get(5, TimeUnit.SECONDS)).isEqualTo("ended");
        assertThat(sink.events).containsExactly("1 run_started", "2 run_completed");
        assertThat(lastEventIds).containsExactly("null", "1", "1");
        assertThat(sink.notices).containsExactly(
                "event stream of run r lost (the server ended it early); reconnecting after event 1",
                "event stream of run r found again");
    }

    @Test
    void aStreamRefusedWithAClientErrorEndsWithItsProblem() throws Exception {
        serve("/api/v1/runs/r/events", exchange -> answer(exchange, 404, "application/problem+json",
                "{\"title\":\"Not found\",\"detail\":\"Run r not found\"}"));
        Recorder sink = new Recorder();

        client(Optional.empty()).follow("r", "5", sink);

        assertThat(sink.closed.get(5, TimeUnit.SECONDS)).isEqualTo("404 Not found: Run r not found");
        assertThat(sink.events).isEmpty();
    }

    private ApiClient client(Optional<String> bearer) {
        return new ApiClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), bearer, Json.mapper());
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private void serve(String path, Handler handler) {
        server.createContext(path, exchange -> {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                answer(exchange, 404, "text/plain", "");
                return;
            }
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            handler.handle(exchange);
        });
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class Recorder implements RunSession.EventSink {
        final List<String> events = new ArrayList<>();
        final List<String> notices = new ArrayList<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public void event(StreamEvent event) {
            events.add(event.id() + " " + event.type());
        }

        @Override
        public void notice(String text) {
            notices.add(text);
        }

        @Override
        public void closed(CliException failure) {
            closed.complete(failure == null ? "ended" : failure.getMessage());
        }
    }
}
