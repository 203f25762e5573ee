package dev.agentruntime.store.redis;

import dev.agentruntime.redis.KeySpace;

import java.util.UUID;

/**
 * The run store's key schema, laid out here and nowhere else: every key its adapters and scripts touch. The names
 * are what existing data is stored under; a script that reads runs by id gets {@link #runPrefix()} and appends the id.
 */
record RunKeys(KeySpace space) {

    /** The run as JSON, expiring a TTL after its creation. */
    String run(UUID runId) {
        return runPrefix() + runId;
    }

    /** What {@link #run} puts before the id. */
    String runPrefix() {
        return space.key("run:");
    }

    /** A run's event stream. */
    String events(UUID runId) {
        return space.key("run:" + runId + ":events");
    }

    /** Each tenant lists only its own runs (score = creation ms). */
    String runIndex(String tenant) {
        return space.key("runs:by-time:" + tenant);
    }

    /** A tenant's runs that have not ended (score = creation ms), for its quota. */
    String unfinished(String tenant) {
        return space.key("runs:unfinished:" + tenant);
    }

    /** Every run awaiting approval (score = its deadline ms), which every instance watches to expire them. */
    String approvalDeadlines() {
        return space.key("approvals:due");
    }

    /** A tenant's runs awaiting approval (score = request ms), for its listing. */
    String awaiting(String tenant) {
        return space.key("runs:awaiting:" + tenant);
    }

    /** The stream every instance takes runs from. */
    String queue() {
        return space.key("runs:queue");
    }

    /** An idempotency key (already scoped to its tenant) and the run it created. */
    String idempotency(String key) {
        return space.key("idem:" + key);
    }

    /** Set while a run's cancellation is requested. */
    String cancelFlag(UUID runId) {
        return space.key("cancel:" + runId);
    }

    /** The pub/sub channel cancellation requests are announced on. */
    String cancellations() {
        return space.key("cancellations");
    }

    /** The key the health check's write probe sets (and lets expire at once). */
    String writeProbe() {
        return space.key("health:write-probe");
    }
}
