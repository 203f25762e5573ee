package dev.agentruntime.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.testing.OnEveryBackend;
import dev.agentruntime.testing.StoreBackends;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link RunEventLog} does: replay from the start or after an id, follow live, end at the terminal event. */
class RunEventLogContractTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @OnEveryBackend
    void aStreamReplaysInOrderAndEndsAfterTheTerminalEvent(StoreBackends.Kind kind) {
        RunEventLog log = kind.open().backend().events();
        UUID run = UUID.randomUUID();
        for (EventType type : List.of(EventType.RUN_STARTED, EventType.STEP_STARTED, EventType.STEP_COMPLETED,
                EventType.RUN_COMPLETED)) {
            log.append(run, type, JsonNodeFactory.instance.objectNode().put("type", type.wireName()))
                    .await().atMost(WAIT);
        }

        List<RunEvent> all = log.stream(run, null).collect().asList().await().atMost(WAIT);
        assertThat(all).extracting(RunEvent::type).containsExactly(EventType.RUN_STARTED, EventType.STEP_STARTED,
                EventType.STEP_COMPLETED, EventType.RUN_COMPLETED);
        assertThat(all).allSatisfy(e -> assertThat(e.data().path("type").asText()).isEqualTo(e.type().wireName()));

        List<RunEvent> resumed = log.stream(run, all.get(1).id()).collect().asList().await().atMost(WAIT);
        assertThat(resumed).isEqualTo(all.subList(2, 4));
    }

    @OnEveryBackend
    void aFollowerSeesEventsAppendedAfterItSubscribed(StoreBackends.Kind kind) {
        RunEventLog log = kind.open().backend().events();
        UUID run = UUID.randomUUID();
        log.append(run, EventType.RUN_STARTED, JsonNodeFactory.instance.objectNode()).await().atMost(WAIT);
        AssertSubscriber<RunEvent> follower = log.stream(run, null).subscribe()
                .withSubscriber(AssertSubscriber.create(10));
        follower.awaitItems(1, WAIT);

        log.append(run, EventType.RUN_FAILED, JsonNodeFactory.instance.objectNode()).await().atMost(WAIT);

        follower.awaitCompletion(WAIT);
        assertThat(follower.getItems()).extracting(RunEvent::type)
                .containsExactly(EventType.RUN_STARTED, EventType.RUN_FAILED);
    }
}
