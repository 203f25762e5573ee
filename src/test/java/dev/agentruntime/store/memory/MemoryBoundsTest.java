package dev.agentruntime.store.memory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.store.IdempotencyKeys;
import dev.agentruntime.store.JournalEvent;
import dev.agentruntime.store.RunQueue.Submission;
import dev.agentruntime.store.StoreBackend;
import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestRuns;
import java.util.List;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 25, the memory store as a whole: one tenant's flood of runs (each with an idempotency key) past its bound (100 runs here) drops only ended
 * runs, with their events and idempotency keys; another tenant's unfinished run keeps all three, so it can still be
 * read, followed and replayed by its key.
 */
class MemoryBoundsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aFloodPastTheBoundKeepsAnUnfinishedRunItsEventsAndItsKey() {
        StoreBackends.Fixture store = StoreBackends.Kind.MEMORY.open();
        StoreBackend backend = store.backend();
        Run pending = TestRuns.planned("globex", store.clock().instant());
        backend.queue().submit(Submission.of(pending)).await().atMost(WAIT);
        bindKey(backend.idempotencyKeys(), "globex/retry-me", pending);
        Run running = pending.started(store.clock().instant());
        assertThat(backend.journal().transition(pending.status(), running, List.of(new JournalEvent(
                EventType.RUN_STARTED, JsonNodeFactory.instance.objectNode()))).await().atMost(WAIT)).isTrue();
        Run early = endedRun(backend, store);

        for (int i = 0; i < 2 * StoreBackends.Settings.defaults().maxRuns(); i++) {
            endedRun(backend, store);
        }

        assertThat(backend.runs().find(running.runId()).await().atMost(WAIT)).isPresent();
        assertThat(backend.events().replay(running.runId(), null).collect().asList().await().atMost(WAIT))
                .extracting(RunEvent::type).containsExactly(EventType.RUN_STARTED);
        assertThat(backend.idempotencyKeys().claim("globex/retry-me", "hash").await().atMost(WAIT))
                .isEqualTo(IdempotencyKeys.Claim.taken("hash", pending.runId()));

        assertThat(backend.runs().find(early.runId()).await().atMost(WAIT)).as("ended, the oldest: dropped").isEmpty();
        assertThat(backend.events().replay(early.runId(), null).collect().asList().await().atMost(WAIT)).isEmpty();
        assertThat(backend.idempotencyKeys().claim("acme/" + early.runId(), "hash").await().atMost(WAIT).won())
                .as("its key went with it").isTrue();
    }

    private static void bindKey(IdempotencyKeys keys, String key, Run run) {
        assertThat(keys.claim(key, "hash").await().atMost(WAIT).won()).isTrue();
        keys.bind(key, "hash", run.runId()).await().atMost(WAIT);
    }

    /** A run of acme, with an idempotency key, that started and failed, with its events, as the executor would. */
    private static Run endedRun(StoreBackend backend, StoreBackends.Fixture store) {
        store.clock().advance(Duration.ofMillis(1));
        Run run = TestRuns.planned("acme", store.clock().instant());
        backend.runs().save(run).await().atMost(WAIT);
        bindKey(backend.idempotencyKeys(), "acme/" + run.runId(), run);
        Run started = run.started(store.clock().instant());
        backend.journal().transition(run.status(), started, List.of(new JournalEvent(
                EventType.RUN_STARTED, JsonNodeFactory.instance.objectNode()))).await().atMost(WAIT);
        backend.journal().record(started.failed("done", store.clock().instant()), List.of(new JournalEvent(
                EventType.RUN_FAILED, JsonNodeFactory.instance.objectNode()))).await().atMost(WAIT);
        return run;
    }
}
