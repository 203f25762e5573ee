package dev.agentruntime.store.redis;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queue entries of the runs this instance is executing, by run, so that the write that ends a run acknowledges
 * and deletes its entry in the same script: one round trip fewer per run, and no moment at which an ended run's
 * entry is still pending. Whatever that write did not acknowledge (the run paused, or another party ended it) the
 * queue acknowledges itself once the executor is done, as before.
 */
final class HeldEntries {

    private final Map<UUID, String> byRun = new ConcurrentHashMap<>();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

    void hold(UUID runId, String entryId) {
        byRun.put(runId, entryId);
    }

    /** The entry this instance holds for the run, or null. */
    String entryOf(UUID runId) {
        return byRun.get(runId);
    }

    /** The run's end acknowledged its entry; ignored once the queue has let go of it (a reply that came late). */
    void acknowledged(UUID runId, String entryId) {
        if (entryId.equals(byRun.get(runId))) {
            acknowledged.add(entryId);
        }
    }

    /** Forgets the entry; true when the run's end already acknowledged it. */
    boolean release(UUID runId, String entryId) {
        byRun.remove(runId, entryId);
        return acknowledged.remove(entryId);
    }
}
