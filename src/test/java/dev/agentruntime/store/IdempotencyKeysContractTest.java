package dev.agentruntime.store;

import dev.agentruntime.testing.OnEveryBackend;
import dev.agentruntime.testing.StoreBackends;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link IdempotencyKeys} does: one claim wins, the key then names its run, a release frees it. */
class IdempotencyKeysContractTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @OnEveryBackend
    void theFirstClaimWinsAndLaterOnesSeeWhatItHolds(StoreBackends.Kind kind) {
        IdempotencyKeys keys = kind.open().backend().idempotencyKeys();
        UUID run = UUID.randomUUID();

        assertThat(keys.claim("acme/k", "hash-1").await().atMost(WAIT).won()).isTrue();
        IdempotencyKeys.Claim creating = keys.claim("acme/k", "hash-2").await().atMost(WAIT);
        assertThat(creating).isEqualTo(IdempotencyKeys.Claim.taken("hash-1", null));

        keys.bind("acme/k", "hash-1", run).await().atMost(WAIT);
        assertThat(keys.claim("acme/k", "hash-1").await().atMost(WAIT))
                .isEqualTo(IdempotencyKeys.Claim.taken("hash-1", run));
        assertThat(keys.claim("globex/k", "hash-1").await().atMost(WAIT).won()).as("another key").isTrue();
    }

    @OnEveryBackend
    void aReleasedKeyCanBeClaimedAgain(StoreBackends.Kind kind) {
        IdempotencyKeys keys = kind.open().backend().idempotencyKeys();
        keys.claim("acme/k", "hash-1").await().atMost(WAIT);

        keys.release("acme/k").await().atMost(WAIT);

        assertThat(keys.claim("acme/k", "hash-2").await().atMost(WAIT)).isEqualTo(IdempotencyKeys.Claim.won("hash-2"));
    }
}
