package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A run's life as {@link RunFollower} needs it, whether the engine runs in this process ({@link LocalRun}) or behind
 * a server ({@link RemoteSession}). Runs are JSON in the HTTP API's shape in both cases, so they print the same.
 */
interface RunSession {

    /** Where a follower's events go; called from another thread than the follower's. */
    interface EventSink {
        void event(StreamEvent event);

        /** Something a person may want to know (the stream was lost, and found again). */
        void notice(String text);

        /** The stream is over: after the terminal event ({@code failure} null), or for good because of a failure. */
        void closed(CliException failure);
    }

    /** Starts delivering the run's events after {@code lastEventId} (null: from its start) to {@code sink}. */
    void follow(String runId, String lastEventId, EventSink sink);

    JsonNode run(String runId);

    JsonNode approve(String runId, String inputHash, String comment);

    JsonNode reject(String runId, String inputHash, String comment);

    /** Cancels the run; answers once it has ended (or the server stopped waiting for it). */
    JsonNode cancel(String runId);

    /** The command prefix that reaches the same runs from another shell, e.g. {@code agent-runtime runs approve}. */
    String commandFor(String subcommand);
}
