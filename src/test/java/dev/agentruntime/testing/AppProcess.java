package dev.agentruntime.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged application started as a separate process on a free port: the native binary when a
 * {@code -Dnative} build made one (failsafe passes its path as {@code native.image.path}), else the jar.
 */
public final class AppProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final int managementPort;

    private AppProcess(Process process, int port, int managementPort) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
    }

    /**
     * How to start it: variables on top of this JVM's environment, or exactly these ({@code inherit} false: nothing
     * else but the two ports), in {@code directory} (null: this one).
     */
    public record Launch(Map<String, String> environment, boolean inherit, Path directory) {
        public static Launch with(Map<String, String> environment) {
            return new Launch(environment, true, null);
        }

        public static Launch exactly(Map<String, String> environment) {
            return new Launch(environment, false, null);
        }

        public Launch in(Path folder) {
            return new Launch(environment, inherit, folder);
        }
    }

    public static AppProcess start(String name, Map<String, String> environment) throws IOException {
        return start(name, Launch.with(environment));
    }

    public static AppProcess start(String name, Launch launch) throws IOException {
        AppProcess app = launch(name, launch);
        app.awaitOk("/q/health/ready", Duration.ofSeconds(60));
        return app;
    }

    /** Started (serving its probes) whether or not it is ready. */
    public static AppProcess started(String name, Launch launch) throws IOException {
        AppProcess app = launch(name, launch);
        app.awaitOk("/q/health/started", Duration.ofSeconds(60));
        return app;
    }

    /**
     * Starts the application expecting it to refuse: answers its output once it has exited with an error, and
     * fails if it exits cleanly, becomes ready, or is still running after {@code max}.
     */
    public static String refusesToStart(String name, Map<String, String> environment, Duration max)
            throws IOException, InterruptedException {
        return refusesToStart(name, Launch.with(environment), max);
    }

    public static String refusesToStart(String name, Launch launch, Duration max)
            throws IOException, InterruptedException {
        AppProcess app = launch(name, launch, shortLivedCommand());
        try {
            if (!app.process.waitFor(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the application is still running after " + max + "; it should refuse");
            }
            if (app.process.exitValue() == 0) {
                throw new AssertionError("the application exited cleanly; it should refuse to start");
            }
            return Files.readString(Path.of("target", name + ".log"));
        } finally {
            app.close();
        }
    }

    /**
     * {@link #command()} for a process that lives seconds (a command, a start that must fail): the jar runs as the
     * README suggests then, C1 only and the serial collector, with some 40% less CPU to its end.
     */
    public static List<String> shortLivedCommand() {
        List<String> command = command();
        if (command.contains("-jar")) {
            command.addAll(1, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        }
        return command;
    }

    /** The command that starts the packaged application: the native binary when there is one, else the jar. */
    public static List<String> command() {
        String nativeBinary = System.getProperty("native.image.path");
        List<String> command = new ArrayList<>();
        if (nativeBinary != null && !nativeBinary.isBlank() && Files.isExecutable(Path.of(nativeBinary))) {
            command.add(nativeBinary);
        } else {
            command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                    Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString()));
        }
        return command;
    }

    /**
     * Free ports, except that variables on top of this JVM's environment may name them ({@code QUARKUS_HTTP_PORT},
     * {@code QUARKUS_MANAGEMENT_PORT}: a server holding 8080 and 9000 on purpose). An exact environment (a template's)
     * always gets free ones: its 8080 and 9000 are the template's defaults, not this test's choice.
     */
    private static AppProcess launch(String name, Launch launch) throws IOException {
        return launch(name, launch, command());
    }

    private static AppProcess launch(String name, Launch launch, List<String> command) throws IOException {
        Map<String, String> environment = launch.environment();
        Map<String, String> named = launch.inherit() ? environment : Map.of();
        int port = named.containsKey("QUARKUS_HTTP_PORT")
                ? Integer.parseInt(named.get("QUARKUS_HTTP_PORT")) : freePort();
        int managementPort = named.containsKey("QUARKUS_MANAGEMENT_PORT")
                ? Integer.parseInt(named.get("QUARKUS_MANAGEMENT_PORT")) : freePort();
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(new File("target/" + name + ".log").getAbsoluteFile());
        if (launch.directory() != null) {
            builder.directory(launch.directory().toFile());
        }
        if (!launch.inherit()) {
            builder.environment().clear();
        }
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        return new AppProcess(builder.start(), port, managementPort);
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** A URL on the management interface: probes and metrics. */
    public String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    /** The application's process id (the JVM's, or the native binary's): to read its memory in /proc. */
    public long pid() {
        return process.pid();
    }

    /**
     * A line of {@code /proc/<pid>/status} in kB, such as {@code VmRSS} (resident now) or {@code VmHWM} (the most
     * ever resident): Linux only.
     */
    public long memoryKb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
            }
        }
        throw new IOException(field + " is not in /proc/" + pid() + "/status");
    }

    /** SIGKILL: no shutdown hook runs, in-flight work is simply gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    private void awaitOk(String probe, Duration max) throws IOException {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(max);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("the application exited with " + process.exitValue());
            }
            try {
                HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + probe))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException("the application did not answer " + probe + " within " + max);
    }
}
