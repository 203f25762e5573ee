package dev.agentruntime.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEventBody;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.testing.OnEveryBackend;
import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestJson;
import dev.agentruntime.testing.TestRuns;
import com.fasterxml.jackson.databind.node.IntNode;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: the events of an ended run are kept for their retention, not for the run's whole TTL; after it, reading
 * them gives the compact history rebuilt from the run, with the payloads the live events carried, and ids a reader
 * can resume from.
 */
class EventRetentionContractTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration RETENTION = Duration.ofSeconds(1);

    private final EventPayloads payloads = new EventPayloads(TestJson.mapper());

    @OnEveryBackend
    void anEndedRunsEventsGiveWayToItsCompactHistoryAfterTheRetention(StoreBackends.Kind kind) throws Exception {
        StoreBackends.Fixture fixture = kind.open(StoreBackends.Settings.defaults().withEventsRetention(RETENTION));
        StoreBackend store = fixture.backend();
        Run run = ended(store, fixture);

        List<RunEvent> stored = store.events().history(run, null).collect().asList().await().atMost(WAIT);
        assertThat(stored).extracting(RunEvent::type).containsExactly(EventType.RUN_STARTED, EventType.STEP_STARTED,
                EventType.STEP_COMPLETED, EventType.RUN_COMPLETED);

        fixture.clock().advance(RETENTION.plusMillis(500));
        if (kind != StoreBackends.Kind.MEMORY) {
            // Redis expires the stream on its own clock.
            Thread.sleep(RETENTION.plusMillis(500).toMillis());
        }
        List<RunEvent> compact = store.events().history(run, null).collect().asList().await().atMost(WAIT);

        assertThat(compact).extracting(RunEvent::type).containsExactlyElementsOf(
                stored.stream().map(RunEvent::type).toList());
        assertThat(compact).extracting(RunEvent::data).containsExactlyElementsOf(
                stored.stream().map(RunEvent::data).toList());
        assertThat(compact).extracting(RunEvent::id).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(store.events().isValidId(id)).isTrue());
        assertThat(store.events().history(run, compact.get(1).id()).collect().asList().await().atMost(WAIT))
                .isEqualTo(compact.subList(2, 4));
        assertThat(store.events().history(run, compact.get(3).id()).collect().asList().await().atMost(WAIT))
                .isEmpty();
        // The run itself is still stored, whole.
        assertThat(TestRuns.json(store.runs().find(run.runId()).await().atMost(WAIT).orElseThrow()))
                .isEqualTo(TestRuns.json(run));
    }

    @OnEveryBackend
    void aRunningRunKeepsItsEventsWhateverTheRetention(StoreBackends.Kind kind) throws Exception {
        StoreBackends.Fixture fixture = kind.open(StoreBackends.Settings.defaults().withEventsRetention(RETENTION));
        StoreBackend store = fixture.backend();
        Run run = TestRuns.planned("default", fixture.clock().instant());
        store.runs().save(run).await().atMost(WAIT);
        Run started = run.started(fixture.clock().instant());
        store.journal().transition(RunStatus.PENDING, started, List.of(new JournalEvent(EventType.RUN_STARTED,
                payloads.json(RunEventBody.started(started))))).await().atMost(WAIT);

        fixture.clock().advance(RETENTION.plusMillis(500));
        if (kind != StoreBackends.Kind.MEMORY) {
            Thread.sleep(RETENTION.plusMillis(500).toMillis());
        }

        assertThat(store.events().replay(run.runId(), null).collect().asList().await().atMost(WAIT))
                .extracting(RunEvent::type).containsExactly(EventType.RUN_STARTED);
    }

    /** A one-step run carried to its end through the journal, with the events the executor would write. */
    private Run ended(StoreBackend store, StoreBackends.Fixture fixture) {
        Run run = TestRuns.planned("default", fixture.clock().instant());
        store.runs().save(run).await().atMost(WAIT);
        Run started = run.started(fixture.clock().instant());
        assertThat(store.journal().transition(RunStatus.PENDING, started, List.of(new JournalEvent(
                EventType.RUN_STARTED, payloads.json(RunEventBody.started(started))))).await().atMost(WAIT)).isTrue();
        fixture.clock().advance(Duration.ofMillis(3));
        StepRecord running = started.step(1).running(started.step(1).toolInput(), fixture.clock().instant());
        store.events().append(run.runId(), EventType.STEP_STARTED,
                        payloads.json(RunEventBody.step(EventType.STEP_STARTED, run.runId(), running)))
                .await().atMost(WAIT);
        fixture.clock().advance(Duration.ofMillis(5));
        StepRecord done = running.completed(IntNode.valueOf(2), 1, fixture.clock().instant());
        Run stepped = started.withStep(done);
        assertThat(store.journal().record(stepped, List.of(new JournalEvent(EventType.STEP_COMPLETED,
                        payloads.json(RunEventBody.stepEnded(stepped, done)))))
                .await().atMost(WAIT)).isTrue();
        fixture.clock().advance(Duration.ofMillis(2));
        JsonNode output = done.output();
        Run completed = stepped.completed(output, fixture.clock().instant());
        assertThat(store.journal().record(completed, List.of(new JournalEvent(EventType.RUN_COMPLETED,
                        payloads.json(RunEventBody.ended(completed)))))
                .await().atMost(WAIT)).isTrue();
        return completed;
    }
}
