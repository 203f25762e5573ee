package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A run on a server, through its HTTP API; the event stream is read on a daemon thread of its own. */
final class RemoteSession implements RunSession {

    private final ApiClient api;
    /** How another shell reaches the same server: the option, when this command was given it explicitly. */
    private final String serverOption;

    RemoteSession(ApiClient api, String serverOption) {
        this.api = api;
        this.serverOption = serverOption;
    }

    @Override
    public void follow(String runId, String lastEventId, EventSink sink) {
        Thread reader = new Thread(() -> api.follow(runId, lastEventId, sink), "event-stream");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public JsonNode run(String runId) {
        return api.get("/api/v1/runs/" + ApiClient.query(runId));
    }

    @Override
    public JsonNode approve(String runId, String inputHash, String comment) {
        return api.post("/api/v1/runs/" + ApiClient.query(runId) + "/approve", decision(inputHash, comment));
    }

    @Override
    public JsonNode reject(String runId, String inputHash, String comment) {
        return api.post("/api/v1/runs/" + ApiClient.query(runId) + "/reject", decision(inputHash, comment));
    }

    @Override
    public JsonNode cancel(String runId) {
        return api.post("/api/v1/runs/" + ApiClient.query(runId) + "/cancel", null);
    }

    @Override
    public String commandFor(String subcommand) {
        return "agent-runtime " + subcommand + serverOption;
    }

    private ObjectNode decision(String inputHash, String comment) {
        ObjectNode body = api.json().createObjectNode().put("input_hash", inputHash);
        if (comment != null) {
            body.put("comment", comment);
        }
        return body;
    }
}
