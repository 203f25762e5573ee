package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.cli.Terminal.Style;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.RunStatus;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Follows one run to its end: prints each event as it comes (or passes it on as a JSON line), then how the run ended;
 * answers approval requests (asks on a terminal, approves every one with {@code --approve-all}, otherwise says how
 * to decide); on Ctrl-C cancels the run when this command started it, or stops following it. Events, typed answers
 * and Ctrl-C all arrive through one queue, so one thread prints and decides. The queue holds what one run sends: its
 * events are bounded by its steps (at most ten), and the person types one answer per request.
 */
final class RunFollower {

    /**
     * {@code started}: this command started the run, so Ctrl-C cancels it (a {@code watch} only stops following).
     */
    record Settings(Output output, boolean quiet, boolean approveAll, boolean waitApproval, boolean started) {
    }

    private sealed interface Item permits Received, Notice, Closed, Answer, Interrupt {
    }

    private record Received(StreamEvent event) implements Item {
    }

    private record Notice(String text) implements Item {
    }

    private record Closed(CliException failure) implements Item {
    }

    private record Answer(String line) implements Item {
    }

    private record Interrupt() implements Item {
    }

    /** A step that started and has not ended: what the live line shows. */
    private record Running(String tool, long since) {
    }

    private static final long TICK_MILLIS = 100;
    private static final String SPINNER = "|/-\\";

    private final RunSession session;
    private final Terminal terminal;
    private final RunView view;
    private final ObjectMapper json;
    private final Settings settings;
    private final BlockingQueue<Item> inbox = new LinkedBlockingQueue<>();
    private final Map<Integer, Running> running = new TreeMap<>();
    /** The approval request not decided yet, if any; {@code acted} once it was answered, asked or reported. */
    private JsonNode pending;
    private boolean acted;
    private boolean asked;
    private boolean listening;
    private int interrupts;

    RunFollower(RunSession session, Terminal terminal, ObjectMapper json, Settings settings) {
        this.session = session;
        this.terminal = terminal;
        this.view = new RunView(terminal, json);
        this.json = json;
        this.settings = settings;
    }

    /** Prints the run as planned (for people), then follows it from its first event. */
    ExitCode start(JsonNode created) {
        if (settings.output() == Output.TEXT && !settings.quiet()) {
            view.plan(created).forEach(terminal::println);
        }
        return follow(created.path("run_id").asText(), null);
    }

    /** Follows the run from after {@code lastEventId} (null: its start) until it ends, or until it must stop. */
    ExitCode follow(String runId, String lastEventId) {
        try (Terminal.Restore restore = Terminal.onInterrupt(this::interrupt)) {
            session.follow(runId, lastEventId, sink());
            return loop(runId);
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERRUPTED;
        } finally {
            terminal.clearLive();
        }
    }

    /** Where the session's thread hands what it receives: the inbox, in order. */
    private RunSession.EventSink sink() {
        return new RunSession.EventSink() {
            @Override
            public void event(StreamEvent event) {
                inbox.add(new Received(event));
            }

            @Override
            public void notice(String text) {
                inbox.add(new Notice(text));
            }

            @Override
            public void closed(CliException failure) {
                inbox.add(new Closed(failure));
            }
        };
    }

    /** Ctrl-C: handled in turn with the events, on the follower's thread. */
    void interrupt() {
        inbox.add(new Interrupt());
    }

    private ExitCode loop(String runId) throws InterruptedException {
        while (true) {
            Item item = inbox.poll();
            if (item == null) {
                // Everything received so far is handled: now a request not decided by a later event is worth acting on.
                ExitCode stop = actOnRequest(runId);
                if (stop != null) {
                    return stop;
                }
                item = inbox.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
                if (item == null) {
                    showLive();
                    continue;
                }
            }
            ExitCode end = handle(runId, item);
            if (end != null) {
                return end;
            }
        }
    }

    private ExitCode handle(String runId, Item item) {
        if (item instanceof Received received) {
            return received(runId, received.event());
        }
        if (item instanceof Notice notice) {
            terminal.error(terminal.paint(Style.DIM, notice.text()));
        } else if (item instanceof Closed closed) {
            throw closed.failure() != null ? closed.failure() : new CliException(ExitCode.FAILED,
                    "the event stream of run " + runId + " ended before the run did");
        } else if (item instanceof Answer answer) {
            answered(runId, answer.line());
        } else if (item instanceof Interrupt) {
            return interrupted(runId);
        }
        return null;
    }

    private ExitCode received(String runId, StreamEvent event) {
        if (settings.output() == Output.JSONL) {
            ObjectNode line = json.createObjectNode().put("id", event.id()).put("event", event.type());
            line.set("data", event.data());
            terminal.println(Json.compact(json, line));
        }
        EventType type = event.kind().orElse(null);
        if (type == null) {
            return null;
        }
        JsonNode data = event.data();
        if (settings.output() == Output.TEXT && !settings.quiet() && !type.terminal()) {
            String line = view.event(event);
            if (line != null) {
                terminal.println(line);
            }
        }
        switch (type) {
            case STEP_STARTED -> running.put(data.path("step_number").asInt(),
                    new Running(data.path("tool_name").asText(), System.nanoTime()));
            case STEP_COMPLETED, STEP_FAILED, STEP_INTERRUPTED -> running.remove(data.path("step_number").asInt());
            case APPROVAL_REQUESTED -> {
                if ("pending".equals(data.path("approval").path("decision").asText())) {
                    pending = data.path("approval");
                    acted = false;
                    asked = false;
                }
            }
            case APPROVAL_GRANTED, APPROVAL_REJECTED -> {
                if (asked) {
                    terminal.error("");
                    terminal.error("the request was decided elsewhere");
                }
                pending = null;
                asked = false;
            }
            default -> {
                if (type.terminal()) {
                    return ended(runId, data);
                }
            }
        }
        return null;
    }

    /**
     * Acts once on the request received last, if it is still the run's pending one: a replayed stream (a watch, a
     * reconnection) brings requests long decided, and a decision's own event may still be on its way.
     */
    private ExitCode actOnRequest(String runId) {
        if (pending == null || acted) {
            return null;
        }
        acted = true;
        JsonNode current = session.run(runId).path("approval");
        if (!"pending".equals(current.path("decision").asText())
                || !current.path("input_hash").asText().equals(pending.path("input_hash").asText())) {
            return null;
        }
        if (settings.approveAll()) {
            decide(runId, true, "approved with --approve-all");
            return null;
        }
        if (terminal.interactive()) {
            if (!listening) {
                listening = true;
                terminal.readLines(line -> inbox.add(new Answer(line)));
            }
            asked = true;
            terminal.ask(terminal.paint(Style.YELLOW, "approve") + " " + view.request(pending) + "? [y/N] ");
            return null;
        }
        terminal.error("run " + runId + " awaits approval of " + view.request(pending));
        String approve = session.commandFor("runs approve");
        if (approve == null) {
            terminal.error("this run lives in this process's memory only: answer on a terminal, or run it again "
                    + "with --approve-all");
            return ExitCode.STOPPED;
        }
        terminal.error("decide with: " + approve + " " + runId + " [--comment TEXT]");
        terminal.error("        or: " + session.commandFor("runs reject") + " " + runId + " [--comment TEXT]");
        return settings.waitApproval() ? null : ExitCode.STOPPED;
    }

    private void answered(String runId, String line) {
        if (pending == null || !asked) {
            return;
        }
        String answer = line.strip().toLowerCase(Locale.ROOT);
        boolean yes = answer.equals("y") || answer.equals("yes");
        decide(runId, yes, yes ? null : "rejected at the terminal");
    }

    private void decide(String runId, boolean approve, String comment) {
        String hash = pending.path("input_hash").asText();
        pending = null;
        asked = false;
        try {
            if (approve) {
                session.approve(runId, hash, comment);
            } else {
                session.reject(runId, hash, comment);
            }
        } catch (CliException refused) {
            // Decided, cancelled or expired meanwhile: the events say how it went on.
            terminal.error("could not " + (approve ? "approve" : "reject") + ": " + refused.getMessage());
        }
    }

    private ExitCode interrupted(String runId) {
        interrupts++;
        if (settings.started() && interrupts == 1) {
            terminal.error("cancelling run " + runId + " (Ctrl-C again to stop waiting)");
            Thread cancel = new Thread(() -> {
                try {
                    session.cancel(runId);
                } catch (CliException refused) {
                    inbox.add(new Notice("could not cancel: " + refused.getMessage()));
                }
            }, "cancel-run");
            cancel.setDaemon(true);
            cancel.start();
            return null;
        }
        terminal.error(settings.started() ? "stopped waiting; run " + runId + " is being cancelled"
                : "stopped following run " + runId + "; it goes on (agent-runtime runs watch " + runId + ")");
        return ExitCode.INTERRUPTED;
    }

    private ExitCode ended(String runId, JsonNode data) {
        RunStatus status = RunStatus.valueOf(data.path("status").asText().toUpperCase(Locale.ROOT));
        terminal.clearLive();
        switch (settings.output()) {
            case TEXT -> {
                if (settings.quiet()) {
                    view.printResult(runId, data);
                } else {
                    terminal.println(view.end(data));
                }
            }
            case JSON -> terminal.println(Json.pretty(json, session.run(runId)));
            case JSONL -> {
                // Each event, the terminal one included, is already printed.
            }
        }
        return ExitCode.of(status);
    }

    /** On a terminal, a line under the output with the steps running and for how long. */
    private void showLive() {
        if (settings.output() != Output.TEXT || settings.quiet() || !terminal.interactive()) {
            return;
        }
        if (running.isEmpty()) {
            terminal.clearLive();
            return;
        }
        long now = System.nanoTime();
        StringJoiner steps = new StringJoiner(", ");
        running.forEach((step, run) -> steps.add("[" + step + "] " + run.tool() + " "
                + RunView.duration((now - run.since()) / 1_000_000.0)));
        terminal.live(SPINNER.charAt((int) ((now / (TICK_MILLIS * 1_000_000)) % SPINNER.length())) + " running "
                + steps);
    }
}
