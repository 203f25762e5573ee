package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The follower's decisions against a scripted run: what it asks a person and when, what it sends back, and what Ctrl-C
 * does, whatever engine is behind the session.
 */
class RunFollowerTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static final String HASH = "9c1f00";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void onATerminalTheRequestIsAskedAndYesApprovesExactlyThatInput() {
        Scripted session = new Scripted(List.of(event("1", "run_started", running()), requested("2")));
        session.onApprove = sink -> {
            sink.event(event("3", "approval_granted", approval("approved")));
            sink.event(event("4", "run_completed", ended("completed")));
        };

        ExitCode exit = follower(session, "y\n", settings(false, false, true)).follow("r", null);

        assertThat(exit).isEqualTo(ExitCode.OK);
        assertThat(session.calls).containsExactly("approve r " + HASH + " null");
        assertThat(err.toString()).contains("approve step 2 todo_store {\"action\":\"add\",\"text\":\"25\"} "
                + "(input_hash " + HASH + ")? [y/N] ");
        assertThat(out.toString()).endsWith("completed: 42\n");
    }

    @Test
    void anythingButYesRejects() {
        Scripted session = new Scripted(List.of(requested("1")));
        session.onReject = sink -> sink.event(event("2", "run_rejected", ended("rejected")));

        ExitCode exit = follower(session, "sure?\n", settings(false, false, true)).follow("r", null);

        assertThat(exit).isEqualTo(ExitCode.STOPPED);
        assertThat(session.calls).containsExactly("reject r " + HASH + " rejected at the terminal");
    }

    @Test
    void aReplayedRequestAlreadyDecidedIsNeitherAskedNorReported() {
        Scripted session = new Scripted(List.of(requested("1"), event("2", "approval_granted", approval("approved")),
                event("3", "run_completed", ended("completed"))));
        session.decision = "approved";

        ExitCode exit = follower(session, null, settings(false, false, false)).follow("r", null);

        assertThat(exit).isEqualTo(ExitCode.OK);
        assertThat(err.toString()).isEmpty();
        assertThat(session.calls).isEmpty();
    }

    @Test
    void withoutATerminalAPendingRequestSaysHowToDecideAndStops() {
        Scripted session = new Scripted(List.of(requested("1")));

        ExitCode exit = follower(session, null, settings(false, false, false)).follow("r", null);

        assertThat(exit).isEqualTo(ExitCode.STOPPED);
        assertThat(err.toString()).contains("run r awaits approval of step 2 todo_store")
                .contains("decide with: agent-runtime runs approve r [--comment TEXT]");
    }

    @Test
    void ctrlCCancelsARunThisCommandStartedAndItsEndDecidesTheExit() throws Exception {
        Scripted session = new Scripted(List.of(event("1", "step_started", step())));
        session.onCancel = sink -> sink.event(event("2", "run_cancelled", ended("cancelled")));
        RunFollower follower = follower(session, null, settings(false, false, true));

        CompletableFuture<ExitCode> exit = CompletableFuture.supplyAsync(() -> follower.follow("r", null));
        session.following.await(5, TimeUnit.SECONDS);
        follower.interrupt();

        assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(ExitCode.STOPPED);
        assertThat(session.calls).containsExactly("cancel r");
        assertThat(err.toString()).contains("cancelling run r (Ctrl-C again to stop waiting)");
    }

    @Test
    void aSecondCtrlCStopsWaitingAndAWatchOnlyStopsFollowing() throws Exception {
        Scripted started = new Scripted(List.of(event("1", "step_started", step())));
        RunFollower cancelling = follower(started, null, settings(false, false, true));
        CompletableFuture<ExitCode> first = CompletableFuture.supplyAsync(() -> cancelling.follow("r", null));
        started.following.await(5, TimeUnit.SECONDS);
        cancelling.interrupt();
        cancelling.interrupt();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(err.toString()).contains("stopped waiting; run r is being cancelled");

        Scripted watched = new Scripted(List.of(event("1", "step_started", step())));
        RunFollower watching = follower(watched, null, settings(false, false, false));
        CompletableFuture<ExitCode> watch = CompletableFuture.supplyAsync(() -> watching.follow("r", null));
        watched.following.await(5, TimeUnit.SECONDS);
        watching.interrupt();
        assertThat(watch.get(5, TimeUnit.SECONDS)).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(watched.calls).isEmpty();
        assertThat(err.toString()).contains("stopped following run r; it goes on (agent-runtime runs watch r)");
    }

    @Test
    void aRunningStepShowsALiveLineOnATerminalOnly() throws Exception {
        Scripted session = new Scripted(List.of(event("1", "step_started", step())));
        RunFollower follower = follower(session, "", settings(false, false, false));
        CompletableFuture<ExitCode> exit = CompletableFuture.supplyAsync(() -> follower.follow("r", null));
        session.following.await(5, TimeUnit.SECONDS);
        for (int tick = 0; tick < 500 && !out.toString().contains("running [1] wait"); tick++) {
            Thread.sleep(10);
        }
        session.sink.event(event("2", "run_completed", ended("completed")));

        assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).containsPattern("\r\033\\[K. running \\[1] wait [0-9.]+ ms")
                .endsWith("\r\033[Kcompleted: 42\n");
    }

    @Test
    void aLostStreamIsTheCommandsFailure() {
        Scripted lost = new Scripted(List.of());
        lost.closeWith = new CliException(ExitCode.FAILED, "lost the event stream");
        assertThatThrownBy(() -> follower(lost, null, settings(false, false, false)).follow("r", null))
                .hasMessage("lost the event stream");

        Scripted early = new Scripted(List.of(event("1", "run_started", running())));
        early.closeEarly = true;
        assertThatThrownBy(() -> follower(early, null, settings(false, false, false)).follow("r", null))
                .hasMessage("the event stream of run r ended before the run did");
    }

    private RunFollower follower(RunSession session, String typed, RunFollower.Settings settings) {
        Terminal terminal = new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
                typed == null ? null : new BufferedReader(new StringReader(typed)), false);
        return new RunFollower(session, terminal, JSON, settings);
    }

    private static RunFollower.Settings settings(boolean approveAll, boolean waitApproval, boolean started) {
        return new RunFollower.Settings(Output.TEXT, false, approveAll, waitApproval, started);
    }

    private static StreamEvent event(String id, String type, JsonNode data) {
        return new StreamEvent(id, type, data);
    }

    private static StreamEvent requested(String id) {
        return event(id, "approval_requested", approval("pending"));
    }

    private static ObjectNode running() {
        return JSON.createObjectNode().put("run_id", "r").put("status", "running");
    }

    private static ObjectNode approval(String decision) {
        ObjectNode data = running();
        ObjectNode approval = data.putObject("approval").put("step_number", 2).put("tool_name", "todo_store")
                .put("input_hash", HASH).put("decision", decision);
        approval.putObject("tool_input").put("action", "add").put("text", "25");
        return data;
    }

    private static ObjectNode step() {
        return JSON.createObjectNode().put("run_id", "r").put("step_number", 1).put("tool_name", "wait")
                .put("status", "running");
    }

    private static ObjectNode ended(String status) {
        ObjectNode data = running().put("status", status);
        if (status.equals("completed")) {
            data.put("result", 42);
        } else {
            data.put("error", status + " by request");
        }
        return data;
    }

    /** A run that sends {@code initial} when followed, and what the test scripts in answer to each call. */
    private static final class Scripted implements RunSession {
        interface Reaction {
            void on(EventSink sink);
        }

        final List<StreamEvent> initial;
        final List<String> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch following = new CountDownLatch(1);
        volatile EventSink sink;
        Reaction onApprove = sink -> { };
        Reaction onReject = sink -> { };
        Reaction onCancel = sink -> { };
        String decision = "pending";
        CliException closeWith;
        boolean closeEarly;

        Scripted(List<StreamEvent> initial) {
            this.initial = initial;
        }

        @Override
        public void follow(String runId, String lastEventId, EventSink sink) {
            this.sink = sink;
            initial.forEach(sink::event);
            if (closeWith != null || closeEarly) {
                sink.closed(closeWith);
            }
            following.countDown();
        }

        @Override
        public JsonNode run(String runId) {
            ObjectNode run = running();
            run.putObject("approval").put("input_hash", HASH).put("decision", decision);
            return run;
        }

        @Override
        public JsonNode approve(String runId, String inputHash, String comment) {
            calls.add("approve " + runId + " " + inputHash + " " + comment);
            onApprove.on(sink);
            return running();
        }

        @Override
        public JsonNode reject(String runId, String inputHash, String comment) {
            calls.add("reject " + runId + " " + inputHash + " " + comment);
            onReject.on(sink);
            return running();
        }

        @Override
        public JsonNode cancel(String runId) {
            calls.add("cancel " + runId);
            onCancel.on(sink);
            return running();
        }

        @Override
        public String commandFor(String subcommand) {
            return "agent-runtime " + subcommand;
        }
    }
}
