package dev.agentruntime.cli;

import io.quarkus.runtime.annotations.RegisterForReflection;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * The process's two streams and, when stdin and stdout are a terminal, the person at it. stdout carries the
 * command's output only (lines for people, or JSON); errors, prompts and notices go to stderr. Colours and the live
 * step line appear on a terminal only, never with {@code NO_COLOR} set or {@code --no-color}, nor when piped.
 */
@RegisterForReflection(targets = Console.class)
final class Terminal {

    /** Text attributes, as ANSI SGR codes. */
    enum Style {
        BOLD("1"), DIM("2"), RED("31"), GREEN("32"), YELLOW("33");

        private final String code;

        Style(String code) {
            this.code = code;
        }
    }

    /** The live line is cut to fit an 80-column terminal: a line that wraps could not be redrawn in place. */
    private static final int LIVE_WIDTH = 79;

    private final PrintWriter out;
    private final PrintWriter err;
    /** What the person types; null when nobody can answer (stdin or stdout is not a terminal). */
    private final BufferedReader in;
    private final boolean colour;
    private boolean liveShown;

    Terminal(PrintWriter out, PrintWriter err, BufferedReader in, boolean colour) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.colour = colour;
    }

    /**
     * Writes to {@code out} and {@code err} (the command line's, which are this process's streams outside tests);
     * asks the person only when this process has a terminal. {@code noColour} is the {@code --no-color} flag.
     */
    static Terminal of(PrintWriter out, PrintWriter err, boolean noColour) {
        Console console = console();
        return new Terminal(out, err, console == null ? null : new BufferedReader(console.reader()),
                colourWanted(noColour));
    }

    /** Colours: on a terminal, without --no-color, NO_COLOR (any non-empty value) or a dumb terminal. */
    static boolean colourWanted(boolean noColour) {
        String noColorVariable = System.getenv("NO_COLOR");
        return console() != null && !noColour && (noColorVariable == null || noColorVariable.isEmpty())
                && !"dumb".equals(System.getenv("TERM"));
    }

    /**
     * The console when stdin and stdout are a terminal, else null. Java 17 to 21 (and 25) give no console otherwise;
     * Java 22 to 24 give one even when the streams are redirected, and say so with {@code isTerminal()} (absent
     * before 22, hence reflection).
     */
    private static Console console() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            return Boolean.TRUE.equals(Console.class.getMethod("isTerminal").invoke(console)) ? console : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError before22) {
            return console;
        }
    }

    /** Whether a person can answer: stdin and stdout are a terminal. */
    boolean interactive() {
        return in != null;
    }

    synchronized void println(String line) {
        clearLive();
        out.println(line);
    }

    synchronized void error(String line) {
        clearLive();
        err.println(line);
    }

    /** A question on stderr, the cursor left after it. */
    synchronized void ask(String question) {
        clearLive();
        err.print(question);
        err.flush();
    }

    /** Shows {@code text} as the line under the output, replacing the previous one; nothing off a terminal. */
    synchronized void live(String text) {
        if (in == null) {
            return;
        }
        String shown = text.length() > LIVE_WIDTH ? text.substring(0, LIVE_WIDTH - 1) + "…" : text;
        out.print("\r\033[K" + shown);
        out.flush();
        liveShown = true;
    }

    synchronized void clearLive() {
        if (liveShown) {
            out.print("\r\033[K");
            out.flush();
            liveShown = false;
        }
    }

    String paint(Style style, String text) {
        return colour ? "\033[" + style.code + "m" + text + "\033[0m" : text;
    }

    /**
     * Hands each line the person types to {@code lines}, from a daemon thread, so that the caller keeps following
     * the run while a question is open. Does nothing off a terminal.
     */
    void readLines(Consumer<String> lines) {
        if (in == null) {
            return;
        }
        Thread reader = new Thread(() -> {
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.accept(line);
                }
            } catch (IOException closed) {
                // No more answers: the question stays open until the run moves on.
            }
        }, "terminal-input");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Runs {@code action} on Ctrl-C (SIGINT) instead of ending the process, until the returned handle is closed,
     * which puts back whatever handled it before (the JVM's, or Quarkus's inside the engine).
     */
    static Restore onInterrupt(Runnable action) {
        Signal interrupt = new Signal("INT");
        SignalHandler previous = Signal.handle(interrupt, signal -> action.run());
        return () -> Signal.handle(interrupt, previous);
    }

    /** Puts back what was there before; closing cannot fail. */
    interface Restore extends AutoCloseable {
        @Override
        void close();
    }
}
