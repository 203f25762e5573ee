package dev.agentruntime.store;

import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Idempotency keys in this process, expiring like the runs they point to. */
public final class MemoryIdempotencyKeys implements IdempotencyKeys {

    private record Entry(String bodyHash, UUID runId, Instant expiresAt) {
    }

    private final Map<String, Entry> keys = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration ttl;

    public MemoryIdempotencyKeys(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public Uni<Claim> claim(String key, String bodyHash) {
        return Uni.createFrom().item(() -> {
            keys.values().removeIf(e -> e.expiresAt().isBefore(clock.instant()));
            Entry mine = new Entry(bodyHash, null, clock.instant().plus(ttl));
            Entry held = keys.putIfAbsent(key, mine);
            return held == null ? Claim.won(bodyHash) : Claim.taken(held.bodyHash(), held.runId());
        });
    }

    @Override
    public Uni<Void> bind(String key, String bodyHash, UUID runId) {
        return Uni.createFrom().item(() -> {
            keys.put(key, new Entry(bodyHash, runId, clock.instant().plus(ttl)));
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
