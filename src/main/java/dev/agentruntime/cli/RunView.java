package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.cli.Terminal.Style;
import dev.agentruntime.run.EventType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How runs, their events and the server's pages read for people: one line per fact, run ids in full (a person
 * copies them into the next command). A step's input and output are cut at {@link #MAX_VALUE_CHARS}; the run's
 * result is printed whole, and {@code --output json} has everything.
 */
final class RunView {

    static final int MAX_VALUE_CHARS = 300;
    private static final int MAX_PROMPT_CHARS = 50;

    private final Terminal terminal;
    private final ObjectMapper json;

    RunView(Terminal terminal, ObjectMapper json) {
        this.terminal = terminal;
        this.json = json;
    }

    /** The run as planned: its id, who planned it, and each step's tool and input as written. */
    List<String> plan(JsonNode run) {
        JsonNode steps = run.path("plan").path("steps");
        List<String> lines = new ArrayList<>();
        lines.add("run " + terminal.paint(Style.BOLD, run.path("run_id").asText()) + " planned by " + planner(run)
                + ": " + steps.size() + (steps.size() == 1 ? " step" : " steps"));
        for (JsonNode step : steps) {
            lines.add("  " + step.path("step_number").asInt() + ". " + step.path("tool_name").asText() + " "
                    + terminal.paint(Style.DIM, value(step.get("tool_input"))));
        }
        return lines;
    }

    /** The line an event prints, or null for one that adds nothing to what was printed (the run's start). */
    String event(StreamEvent event) {
        JsonNode data = event.data();
        EventType type = event.kind().orElse(null);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case RUN_FORKED, RUN_STARTED -> null;
            case STEP_STARTED -> stepPrefix(data) + "started "
                    + terminal.paint(Style.DIM, value(data.get("tool_input")));
            case STEP_RETRYING -> "[" + data.path("step_number").asInt() + "] "
                    + terminal.paint(Style.YELLOW, "retrying") + ": attempt " + data.path("attempt").asInt();
            case STEP_COMPLETED, STEP_FAILED, STEP_INTERRUPTED -> stepPrefix(data) + reused(data) + stepOutcome(data);
            case APPROVAL_REQUESTED -> approvalPrefix(data) + terminal.paint(Style.YELLOW, "awaits approval") + ": "
                    + input(data.path("approval"), data.path("approval").path("input_hash").asText());
            case APPROVAL_GRANTED -> approvalPrefix(data) + terminal.paint(Style.GREEN, "approved") + decided(data);
            case APPROVAL_REJECTED -> approvalPrefix(data) + terminal.paint(Style.YELLOW,
                    "expired".equals(data.path("approval").path("decision").asText()) ? "approval expired" : "rejected")
                    + decided(data);
            case RUN_COMPLETED, RUN_FAILED, RUN_CANCELLED, RUN_REJECTED -> end(data);
        };
    }

    /** How the run ended: its status, then the result or the error. */
    String end(JsonNode run) {
        String status = run.path("status").asText();
        String error = Json.text(run, "error");
        return paintStatus(status) + (status.equals("completed") ? ": " + Json.compact(json, run.path("result"))
                : error == null ? "" : ": " + error);
    }

    /**
     * {@code -q}: the result alone on stdout when the run completed; otherwise how it ended, or where it stands, on
     * stderr ("run … failed: …"), so that stdout holds nothing a script could take for a result.
     */
    void printResult(String runId, JsonNode run) {
        if (run.path("status").asText().equals("completed")) {
            terminal.println(Json.compact(json, run.path("result")));
        } else {
            terminal.error("run " + runId + " " + end(run));
        }
    }

    /** What a decision is about: the step, its tool, the input exactly as it will run, and the hash to quote. */
    String request(JsonNode approval) {
        return request(approval, approval.path("input_hash").asText());
    }

    /** The request, with the hash a decision quotes: the one sent, which may not be the request's own. */
    String request(JsonNode approval, String inputHash) {
        return "step " + approval.path("step_number").asInt() + " " + approval.path("tool_name").asText() + " "
                + input(approval, inputHash);
    }

    /** The input asked about, whole (a person decides on exactly this), and a hash. */
    private String input(JsonNode approval, String inputHash) {
        return Json.compact(json, approval.path("tool_input")) + " (input_hash " + inputHash + ")";
    }

    /** A stored run, for {@code runs get}. */
    List<String> run(JsonNode run) {
        List<String> lines = new ArrayList<>();
        lines.add("run " + terminal.paint(Style.BOLD, run.path("run_id").asText()) + " "
                + paintStatus(run.path("status").asText()) + ", planned by " + planner(run));
        JsonNode forkedFrom = run.path("forked_from");
        if (forkedFrom.isObject()) {
            String reason = Json.text(forkedFrom, "reason");
            lines.add("forked from run " + forkedFrom.path("run_id").asText() + " at step "
                    + forkedFrom.path("step_number").asInt() + (reason == null ? "" : ": " + oneLine(reason)));
        }
        lines.add("prompt: " + run.path("prompt").asText());
        lines.add("created " + run.path("created_at").asText() + optional(", started ", run, "started_at")
                + optional(", ended ", run, "completed_at"));
        for (JsonNode step : run.path("execution_log")) {
            String status = step.path("status").asText();
            String error = Json.text(step, "error");
            lines.add(stepPrefix(step) + terminal.paint(Style.DIM, value(step.get("tool_input"))) + " " + reused(step)
                    + (status.equals("completed") || status.equals("failed") ? stepOutcome(step)
                    : paintStatus(status) + (error == null ? "" : ": " + error)));
        }
        JsonNode approval = run.path("approval");
        if (run.path("status").asText().equals("awaiting_approval") && approval.isObject()) {
            lines.add(terminal.paint(Style.YELLOW, "awaiting approval") + " of " + request(approval) + ", until "
                    + approval.path("expires_at").asText());
        }
        if (run.path("status").asText().equals("completed")) {
            lines.add("result: " + Json.compact(json, run.path("result")));
        } else if (Json.text(run, "error") != null) {
            lines.add("error: " + run.get("error").asText());
        }
        return lines;
    }

    /** A page of runs, newest first: id, status, creation, steps done of all, the prompt's beginning. */
    List<String> runs(JsonNode runs) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-36s  %-17s  %-20s  %-5s  %s", "RUN ID", "STATUS", "CREATED", "STEPS",
                "PROMPT"));
        for (JsonNode run : runs) {
            long done = 0;
            for (JsonNode step : run.path("execution_log")) {
                done += step.path("status").asText().equals("completed") ? 1 : 0;
            }
            lines.add(String.format(Locale.ROOT, "%-36s  %-17s  %-20s  %-5s  %s", run.path("run_id").asText(),
                    run.path("status").asText(), seconds(run.path("created_at").asText()),
                    done + "/" + run.path("execution_log").size(), cut(oneLine(run.path("prompt").asText()),
                            MAX_PROMPT_CHARS)));
        }
        return lines;
    }

    List<String> todos(JsonNode page) {
        List<String> lines = new ArrayList<>();
        for (JsonNode todo : page.path("todos")) {
            lines.add(todo.path("id").asText() + "  " + (todo.path("completed").asBoolean() ? "[x]" : "[ ]") + " "
                    + oneLine(todo.path("text").asText()));
        }
        long total = page.path("total_count").asLong();
        lines.add(total + (total == 1 ? " todo: " : " todos: ") + page.path("completed_count").asLong()
                + " completed, " + page.path("pending_count").asLong() + " pending"
                + (page.path("todos").size() < total
                ? " (showing " + page.path("todos").size() + " from " + page.path("offset").asLong() + ")" : ""));
        return lines;
    }

    List<String> tools(JsonNode tools) {
        int width = 4;
        for (JsonNode tool : tools) {
            width = Math.max(width, tool.path("name").asText().length());
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode tool : tools) {
            lines.add(String.format(Locale.ROOT, "%-" + width + "s  %-8s  %s", tool.path("name").asText(),
                    tool.path("source").asText(), oneLine(tool.path("description").asText())));
        }
        return lines;
    }

    List<String> health(JsonNode health) {
        List<String> lines = new ArrayList<>();
        String status = health.path("status").asText();
        // The server leaves tools out for an anonymous caller while auth is on: that is not "0 tools".
        JsonNode tools = health.path("tools");
        lines.add(terminal.paint(status.equals("UP") ? Style.GREEN : Style.RED, status) + "  version "
                + health.path("version").asText() + ", store " + health.path("store").asText() + ", planner "
                + health.path("planner").asText() + ", "
                + (tools.isArray() ? tools.size() + " tools" : "tools not shown without credentials"));
        health.path("checks").fields().forEachRemaining(check ->
                lines.add("  check " + check.getKey() + ": " + check.getValue().asText()));
        for (JsonNode server : health.path("mcp_servers")) {
            lines.add("  mcp server " + server.path("name").asText() + ": " + server.path("state").asText()
                    + (Json.text(server, "last_error") == null ? "" : " (" + server.get("last_error").asText() + ")"));
        }
        return lines;
    }

    /** A value as one line of JSON, cut for a person; a string value shows as JSON too, so types stay visible. */
    String value(JsonNode value) {
        return cut(value == null ? "null" : Json.compact(json, value), MAX_VALUE_CHARS);
    }

    String paintStatus(String status) {
        return switch (status) {
            case "completed" -> terminal.paint(Style.GREEN, status);
            case "failed" -> terminal.paint(Style.RED, status);
            case "cancelled", "rejected", "awaiting_approval", "interrupted" -> terminal.paint(Style.YELLOW, status);
            default -> status;
        };
    }

    /** "in 0.4 ms (1 attempt): 25" or "in 2.1 ms (3 attempts): division by zero", after the status. */
    private String stepOutcome(JsonNode step) {
        String status = step.path("status").asText();
        int attempts = step.path("attempts").asInt();
        String timing = " in " + duration(step.path("duration_ms").asDouble()) + " (" + attempts
                + (attempts == 1 ? " attempt)" : " attempts)");
        return paintStatus(status) + timing + ": " + (status.equals("completed") ? value(step.get("output"))
                : terminal.paint(Style.RED, String.valueOf(Json.text(step, "error"))));
    }

    /** "reused " for a fork's step that kept its source's output and timings: it did not run in this run. */
    private String reused(JsonNode step) {
        return step.path("reused").asBoolean() ? terminal.paint(Style.DIM, "reused") + " " : "";
    }

    private static String stepPrefix(JsonNode step) {
        return "[" + step.path("step_number").asInt() + "] " + step.path("tool_name").asText() + " ";
    }

    private static String approvalPrefix(JsonNode data) {
        JsonNode approval = data.path("approval");
        return "[" + approval.path("step_number").asInt() + "] " + approval.path("tool_name").asText() + " ";
    }

    private static String decided(JsonNode data) {
        JsonNode approval = data.path("approval");
        String by = Json.text(approval, "decided_by");
        String comment = Json.text(approval, "comment");
        return (by == null ? "" : " by " + by) + (comment == null || comment.isBlank() ? "" : ": " + comment);
    }

    private static String planner(JsonNode run) {
        String fallback = Json.text(run, "fallback_reason");
        return run.path("planner").asText() + (fallback == null ? "" : " (fallback: " + fallback + ")")
                + (run.path("plan_cached").asBoolean() ? " (cached plan)" : "");
    }

    private static String optional(String label, JsonNode run, String field) {
        String value = Json.text(run, field);
        return value == null ? "" : label + value;
    }

    static String duration(double millis) {
        return millis < 1000 ? String.format(Locale.ROOT, "%.1f ms", millis)
                : String.format(Locale.ROOT, "%.2f s", millis / 1000);
    }

    private static String seconds(String instant) {
        int dot = instant.indexOf('.');
        return (dot > 0 ? instant.substring(0, dot) + "Z" : instant);
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
