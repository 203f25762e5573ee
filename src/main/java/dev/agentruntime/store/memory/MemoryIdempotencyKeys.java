package dev.agentruntime.store.memory;

import dev.agentruntime.store.IdempotencyKeys;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/** Idempotency keys in this process, expiring like the runs they point to (and as bounded in number). */
public final class MemoryIdempotencyKeys implements IdempotencyKeys {

    private record Entry(String bodyHash, UUID runId) {
    }

    private final ExpiringEntries<String, Entry> keys;

    public MemoryIdempotencyKeys(Clock clock, Duration ttl, int maxKeys) {
        this.keys = new ExpiringEntries<>(clock, ttl, maxKeys);
    }

    @Override
    public Uni<Claim> claim(String key, String bodyHash) {
        return Uni.createFrom().item(() -> {
            Entry held = keys.putIfAbsent(key, new Entry(bodyHash, null));
            return held == null ? Claim.won(bodyHash) : Claim.taken(held.bodyHash(), held.runId());
        });
    }

    @Override
    public Uni<Void> bind(String key, String bodyHash, UUID runId) {
        return Uni.createFrom().item(() -> {
            keys.replace(key, new Entry(bodyHash, runId));
            return null;
        });
    }

    @Override
    public Uni<Void> release(String key) {
        return Uni.createFrom().item(() -> {
            keys.remove(key);
            return null;
        });
    }
}
