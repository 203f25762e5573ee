package dev.agentruntime.store.memory;

import dev.agentruntime.run.Run;
import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.RunQueue.Submission;
import dev.agentruntime.testing.HoldingConsumer;
import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestRuns;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded queue keeps a line per tenant: a freed slot goes to the waiting tenant that holds the fewest, not to
 * the oldest run, so a tenant with many queued runs does not make another wait behind all of them (issue 25).
 */
class MemoryRunQueueTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void freedSlotsGoToTenantsInTurnNotInArrivalOrder() {
        StoreBackends.Fixture store = StoreBackends.Kind.MEMORY.open();
        RunQueue queue = store.backend().queue();
        HoldingConsumer consumer = new HoldingConsumer();
        try {
            queue.start(consumer);
            List<Run> busy = submit(queue, consumer, store, "busy", StoreBackends.Settings.SLOTS);
            await().atMost(WAIT).until(() -> consumer.executing("busy") == StoreBackends.Settings.SLOTS);
            List<Run> waiting = new ArrayList<>(submit(queue, consumer, store, "acme", 3));
            waiting.addAll(submit(queue, consumer, store, "globex", 1));
            waiting.addAll(submit(queue, consumer, store, "initech", 1));

            List<UUID> order = new ArrayList<>();
            for (int i = 0; i < waiting.size(); i++) {
                // One run ends: busy's first, then those that started here, oldest first.
                consumer.end(i < busy.size() ? busy.get(i).runId() : order.get(i - busy.size()));
                int started = i + 1;
                await().atMost(WAIT).until(() -> waiting.stream().filter(r -> consumer.started(r.runId())).count()
                        == started);
                order.add(consumer.startOrder().get(consumer.startOrder().size() - 1));
            }

            assertThat(order).containsExactly(waiting.get(0).runId(), waiting.get(3).runId(), waiting.get(4).runId(),
                    waiting.get(1).runId(), waiting.get(2).runId());
        } finally {
            consumer.endAll();
            queue.stop();
        }
    }

    private static List<Run> submit(RunQueue queue, HoldingConsumer consumer, StoreBackends.Fixture store,
                                    String tenant, int count) {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Run run = consumer.expect(TestRuns.planned(tenant, store.clock().instant()));
            queue.submit(Submission.of(run)).await().atMost(WAIT);
            runs.add(run);
        }
        return runs;
    }
}
