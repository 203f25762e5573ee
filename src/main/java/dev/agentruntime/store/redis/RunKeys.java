package dev.agentruntime.store.redis;

import dev.agentruntime.redis.KeySpace;

import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The run store's key schema, laid out here and nowhere else: every key its adapters and scripts touch. A run
 * belongs to one of {@value #PARTITIONS} partitions, fixed by its id; every key a script of that run touches carries
 * the partition's hash tag ({@code {p7}}) first, so on Redis Cluster they share one slot, and the same names serve a
 * single Redis (ADR 0032). A script that reads runs by id gets {@link #runPrefix(int)} and appends the id.
 */
record RunKeys(KeySpace space) {

    /** Fixed: a run's keys are found by its partition, so another count would lose every stored run. */
    static final int PARTITIONS = 16;

    /** The partition of a run: its id's low 64 bits (random in a v4 UUID) modulo {@value #PARTITIONS}. */
    static int partition(UUID runId) {
        return (int) Long.remainderUnsigned(runId.getLeastSignificantBits(), PARTITIONS);
    }

    /**
     * A new run id in the partition of {@code runId}: drawn until one lands there (16 draws on average), so that a
     * fork's keys share its source's slot and one script creates the fork with its entry in the source's forks index
     * (ADR 0033). Still a random v4 UUID.
     */
    static UUID inPartitionOf(UUID runId) {
        int partition = partition(runId);
        UUID drawn;
        do {
            drawn = UUID.randomUUID();
        } while (partition(drawn) != partition);
        return drawn;
    }

    /** Every partition, in order. */
    static int[] partitions() {
        return IntStream.range(0, PARTITIONS).toArray();
    }

    /** The hash tag of a partition. */
    static String tag(int partition) {
        return "{p" + partition + "}";
    }

    /** The run as JSON, expiring a TTL after its creation. */
    String run(UUID runId) {
        return runPrefix(partition(runId)) + runId;
    }

    /** What {@link #run} puts before the id of a run of that partition. */
    String runPrefix(int partition) {
        return space.key("run:" + tag(partition) + ":");
    }

    /** A run's event stream. */
    String events(UUID runId) {
        return run(runId) + ":events";
    }

    /** The runs forked from a run (score = creation ms), all of its partition; expires with the newest fork. */
    String forks(UUID runId) {
        return run(runId) + ":forks";
    }

    /** Each tenant lists only its own runs (score = creation ms); one set per partition, merged when listing. */
    String runIndex(int partition, String tenant) {
        return space.key("runs:by-time:" + tag(partition) + ":" + tenant);
    }

    /** A tenant's runs of the partition that have not ended (score = creation ms), for its quota. */
    String unfinished(int partition, String tenant) {
        return space.key("runs:unfinished:" + tag(partition) + ":" + tenant);
    }

    /** The partition's runs awaiting approval (score = their deadline ms), which every instance watches. */
    String approvalDeadlines(int partition) {
        return space.key("approvals:due:" + tag(partition));
    }

    /** A tenant's runs of the partition awaiting approval (score = request ms), for its listing. */
    String awaiting(int partition, String tenant) {
        return space.key("runs:awaiting:" + tag(partition) + ":" + tenant);
    }

    /** The partition's queue stream, which every instance reads. */
    String queue(int partition) {
        return space.key("runs:queue:" + tag(partition));
    }

    /** An idempotency key (already scoped to its tenant) and the run it created: one key, its own slot. */
    String idempotency(String key) {
        return space.key("idem:" + key);
    }

    /** Set while a run's cancellation is requested. */
    String cancelFlag(UUID runId) {
        return space.key("cancel:" + tag(partition(runId)) + ":" + runId);
    }

    /** The pub/sub channel cancellation requests are announced on (a cluster's nodes all relay it). */
    String cancellations() {
        return space.key("cancellations");
    }

    /** The key the health check's write probe sets (and lets expire at once). */
    String writeProbe() {
        return space.key("health:write-probe");
    }
}
