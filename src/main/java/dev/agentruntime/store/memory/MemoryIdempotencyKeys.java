package dev.agentruntime.store.memory;

import dev.agentruntime.store.IdempotencyKeys;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Idempotency keys in this process, expiring like the runs they point to. A key bound to a run is kept as long as
 * its run ({@link #forget} drops it with the run), so no flood of other runs can take the key of a run that has not
 * ended and let a retry run twice (issue 25); keys whose run is still being created are bounded in number.
 */
public final class MemoryIdempotencyKeys implements IdempotencyKeys {

    private record Entry(String bodyHash, UUID runId) {
    }

    /** Keys claimed by a request still creating its run: a claim lasts a request, so these are few. */
    private final ExpiringEntries<String, Entry> claimed;
    /** Keys bound to their run; no count bound of their own: the runs' bound is theirs. */
    private final ExpiringEntries<String, Entry> bound;
    /** The key of each bound run; guarded by {@code this}. */
    private final Map<UUID, String> keyOfRun = new HashMap<>();

    public MemoryIdempotencyKeys(Clock clock, Duration ttl, int maxClaimed) {
        this.claimed = new ExpiringEntries<>(clock, ttl, maxClaimed);
        this.bound = new ExpiringEntries<>(clock, ttl, Integer.MAX_VALUE);
    }

    @Override
    public Uni<Claim> claim(String key, String bodyHash) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                Entry held = bound.get(key);
                if (held == null) {
                    held = claimed.putIfAbsent(key, new Entry(bodyHash, null));
                }
                return held == null ? Claim.won(bodyHash) : Claim.taken(held.bodyHash(), held.runId());
            }
        });
    }

    @Override
    public Uni<Void> bind(String key, String bodyHash, UUID runId) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                bound.put(key, new Entry(bodyHash, runId));
                claimed.remove(key);
                keyOfRun.put(runId, key);
            }
            return null;
        });
    }

    @Override
    public Uni<Void> release(String key) {
        return Uni.createFrom().item(() -> {
            claimed.remove(key);
            return null;
        });
    }

    /** Drops the key of a run the memory store dropped. */
    synchronized void forget(UUID runId) {
        String key = keyOfRun.remove(runId);
        if (key != null) {
            bound.remove(key);
        }
    }
}
