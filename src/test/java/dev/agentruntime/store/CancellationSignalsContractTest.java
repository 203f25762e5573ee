package dev.agentruntime.store;

import dev.agentruntime.testing.OnEveryBackend;
import dev.agentruntime.testing.StoreBackends;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What every {@link CancellationSignals} does: a durable flag until cleared, and a notice to every listener. */
class CancellationSignalsContractTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @OnEveryBackend
    void aRequestIsAFlagUntilCleared(StoreBackends.Kind kind) {
        CancellationSignals signals = kind.open().backend().cancellationSignals();
        UUID run = UUID.randomUUID();
        assertThat(signals.isRequested(run).await().atMost(WAIT)).isFalse();

        signals.request(run).await().atMost(WAIT);
        assertThat(signals.isRequested(run).await().atMost(WAIT)).isTrue();
        assertThat(signals.isRequested(UUID.randomUUID()).await().atMost(WAIT)).isFalse();

        signals.clear(run).await().atMost(WAIT);
        assertThat(signals.isRequested(run).await().atMost(WAIT)).isFalse();
    }

    @OnEveryBackend
    void listenersHearEveryRequest(StoreBackends.Kind kind) {
        CancellationSignals signals = kind.open().backend().cancellationSignals();
        AssertSubscriber<UUID> listener = signals.requests().subscribe().withSubscriber(AssertSubscriber.create(10));
        UUID run = UUID.randomUUID();

        // A subscription to Redis pub/sub takes effect asynchronously: repeat the request until it is heard.
        await().atMost(WAIT).until(() -> {
            signals.request(run).await().atMost(WAIT);
            return !listener.getItems().isEmpty();
        });

        assertThat(listener.getItems()).containsOnly(run);
        listener.cancel();
    }
}
