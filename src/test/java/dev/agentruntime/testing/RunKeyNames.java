package dev.agentruntime.testing;

import java.util.UUID;

/**
 * The run store's key names under the default prefix {@code agent:}, for tests outside its package that look into
 * Redis: written out here rather than computed by the adapter, so a change of layout shows (ADR 0032).
 */
public final class RunKeyNames {

    private RunKeyNames() {
    }

    /** A run's partition: its id's low 64 bits modulo 16. */
    public static String tag(UUID runId) {
        return "{p" + Long.remainderUnsigned(runId.getLeastSignificantBits(), 16) + "}";
    }

    public static String run(String runId) {
        UUID id = UUID.fromString(runId);
        return "agent:run:" + tag(id) + ":" + id;
    }

    public static String events(String runId) {
        return run(runId) + ":events";
    }

    /** The tenant's index in the run's partition. */
    public static String runIndex(String runId, String tenant) {
        return "agent:runs:by-time:" + tag(UUID.fromString(runId)) + ":" + tenant;
    }

    /** The queue stream of the run's partition. */
    public static String queue(UUID runId) {
        return "agent:runs:queue:" + tag(runId);
    }

    /** The queue stream of partition {@code partition}. */
    public static String queue(int partition) {
        return "agent:runs:queue:{p" + partition + "}";
    }

    public static String todo(String tenant, String todoId) {
        return "agent:todo:{" + tenant + "}:" + todoId;
    }
}
