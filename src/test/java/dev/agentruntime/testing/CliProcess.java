package dev.agentruntime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The packaged application run as a command (the native binary when there is one, else the jar) in a child process,
 * stdout and stderr read apart, started as a shell starts a command in the foreground: SIGINT at its default action
 * even when this JVM was started with it ignored (a background job's), and none of the caller's AGENT_SERVER or
 * credentials. {@link #onTerminal} runs it on a pseudo-terminal instead (util-linux {@code script}), where stdout and
 * stderr are the one terminal.
 */
public final class CliProcess implements AutoCloseable {

    /** How a command ended: its status and everything it printed on each stream. */
    public record Result(int exit, String stdout, String stderr) {
        public List<String> lines() {
            return stdout.lines().toList();
        }
    }

    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final List<Thread> readers = new ArrayList<>();

    private CliProcess(Process process) {
        this.process = process;
        readers.add(pump(process.getInputStream(), out));
        readers.add(pump(process.getErrorStream(), err));
    }

    /** Runs the command to its end (at most a minute). */
    public static Result run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        try (CliProcess command = start(environment, args)) {
            return command.finish(Duration.ofMinutes(1));
        }
    }

    public static CliProcess start(Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
        command.addAll(AppProcess.shortLivedCommand());
        command.addAll(List.of(args));
        return new CliProcess(builder(command, environment).start());
    }

    /** On a pseudo-terminal: System.console() is there, as for a person typing. */
    public static CliProcess onTerminal(Map<String, String> environment, String... args) throws IOException {
        List<String> words = AppProcess.shortLivedCommand();
        words.addAll(List.of(args));
        String line = words.stream().map(word -> "'" + word.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
        return new CliProcess(builder(List.of("script", "-qfec", line, "/dev/null"), environment).start());
    }

    private static ProcessBuilder builder(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        List.of("AGENT_SERVER", "AGENT_API_KEY", "AGENT_TOKEN", "NO_COLOR").forEach(env::remove);
        env.putAll(environment);
        return builder;
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until stdout holds {@code text}; answers stdout so far. */
    public String awaitOutput(String text, Duration max) throws InterruptedException {
        Instant deadline = Instant.now().plus(max);
        while (out.indexOf(text) < 0) {
            if (!process.isAlive() && out.indexOf(text) < 0) {
                throw new AssertionError("the command ended (" + process.exitValue() + ") without printing '" + text
                        + "'; stdout:\n" + out + "\nstderr:\n" + err);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no '" + text + "' within " + max + "; stdout:\n" + out + "\nstderr:\n" + err);
            }
            Thread.sleep(20);
        }
        return out.toString();
    }

    /** Types a line, as a person at the terminal would. */
    public void type(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Ctrl-C. */
    public void interrupt() throws IOException, InterruptedException {
        if (new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor() != 0) {
            throw new IOException("kill -INT " + process.pid() + " failed");
        }
    }

    public Result finish(Duration max) throws InterruptedException {
        if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the command did not end within " + max + "; stdout:\n" + out + "\nstderr:\n"
                    + err);
        }
        for (Thread reader : readers) {
            reader.join(5_000);
        }
        return new Result(process.exitValue(), out.toString(), err.toString());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    private static Thread pump(InputStream from, StringBuffer into) {
        Thread reader = new Thread(() -> {
            char[] buffer = new char[8192];
            try (Reader text = new InputStreamReader(from, StandardCharsets.UTF_8)) {
                for (int n = text.read(buffer); n >= 0; n = text.read(buffer)) {
                    into.append(buffer, 0, n);
                }
            } catch (IOException closed) {
                // the process ended
            }
        }, "cli-output");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }
}
