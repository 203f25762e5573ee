package dev.agentruntime.store;

import io.smallrye.mutiny.Uni;

import java.util.UUID;

/**
 * {@code Idempotency-Key} bookkeeping, kept as long as a run. A key is first claimed (no run yet: "being
 * created"), then bound to the run it created, or released if creating it failed.
 */
public interface IdempotencyKeys {

    /** What a key held when a request tried to claim it. */
    record Claim(boolean won, String bodyHash, UUID runId) {

        public static Claim won(String bodyHash) {
            return new Claim(true, bodyHash, null);
        }

        /** Someone else holds the key; {@code runId} is null while that run is still being created. */
        public static Claim taken(String bodyHash, UUID runId) {
            return new Claim(false, bodyHash, runId);
        }
    }

    /** Claims {@code key} for a request whose body hashes to {@code bodyHash}, unless someone holds it. */
    Uni<Claim> claim(String key, String bodyHash);

    /** Binds a claimed key to the run it created. */
    Uni<Void> bind(String key, String bodyHash, UUID runId);

    /** Frees a claimed key whose run could not be created, so the request can be tried again. */
    Uni<Void> release(String key);
}
