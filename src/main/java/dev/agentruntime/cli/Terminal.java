package dev.agentruntime.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The process's two streams and, when stdin and stdout are a terminal, the person at it. stdout carries the
 * command's output only (lines for people, or JSON); errors, prompts and notices go to stderr. Colours and the live
 * step line appear on a terminal only, never with {@code NO_COLOR} set or {@code --no-color}, nor when piped.
 */
final class Terminal {

    /** Text attributes, as ANSI SGR codes. */
    enum Style {
        BOLD("1"), DIM("2"), RED("31"), GREEN("32"), YELLOW("33"), CYAN("36");

        private final String code;

        Style(String code) {
            this.code = code;
        }
    }

    /** The live line is cut here: wider than most terminals' default, and a redraw must stay on one line. */
    private static final int LIVE_WIDTH = 100;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;
    private final boolean colour;
    private boolean liveShown;

    Terminal(PrintStream out, PrintStream err, boolean interactive, boolean colour) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
        this.colour = colour;
    }

    /** This process's terminal; {@code noColour} is the {@code --no-color} flag. */
    static Terminal system(boolean noColour) {
        boolean interactive = System.console() != null;
        String noColorVariable = System.getenv("NO_COLOR");
        boolean colour = interactive && !noColour && (noColorVariable == null || noColorVariable.isEmpty())
                && !"dumb".equals(System.getenv("TERM"));
        return new Terminal(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
                interactive, colour);
    }

    /** Whether a person can answer: stdin and stdout are a terminal. */
    boolean interactive() {
        return interactive;
    }

    boolean colour() {
        return colour;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
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
        if (!interactive) {
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
        if (!interactive) {
            return;
        }
        Thread reader = new Thread(() -> {
            try {
                BufferedReader in = new BufferedReader(System.console().reader());
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
