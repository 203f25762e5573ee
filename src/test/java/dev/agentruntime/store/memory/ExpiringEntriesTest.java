package dev.agentruntime.store.memory;

import dev.agentruntime.run.EventType;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.testing.MutableClock;
import org.junit.jupiter.api.Test;

import dev.agentruntime.store.CompactHistory;
import dev.agentruntime.store.EventPayloads;
import dev.agentruntime.testing.TestJson;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiringEntriesTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void anEntryExpiresATtlAfterItWasFirstWrittenEvenWhenReplaced() {
        ExpiringEntries<String, String> entries = new ExpiringEntries<>(clock, Duration.ofMinutes(10), 100);
        entries.putIfAbsent("k", "first");
        clock.advance(Duration.ofMinutes(9));
        entries.replace("k", "second");
        assertThat(entries.get("k")).isEqualTo("second");

        clock.advance(Duration.ofMinutes(1));
        assertThat(entries.get("k")).isNull();
        assertThat(entries.putIfAbsent("k", "third")).as("an expired entry no longer holds the key").isNull();
        assertThat(entries.get("k")).isEqualTo("third");
    }

    @Test
    void putIfAbsentAnswersTheLiveEntryAndKeepsIt() {
        ExpiringEntries<String, String> entries = new ExpiringEntries<>(clock, Duration.ofMinutes(10), 100);
        assertThat(entries.putIfAbsent("k", "mine")).isNull();
        assertThat(entries.putIfAbsent("k", "theirs")).isEqualTo("mine");
        assertThat(entries.get("k")).isEqualTo("mine");
        entries.remove("k");
        assertThat(entries.get("k")).isNull();
    }

    @Test
    void beyondTheBoundTheOldestEntriesGoFirst() {
        ExpiringEntries<Integer, String> entries = new ExpiringEntries<>(clock, Duration.ofHours(1), 3);
        for (int i = 1; i <= 5; i++) {
            entries.computeIfAbsent(i, Object::toString);
        }
        assertThat(entries.get(1)).isNull();
        assertThat(entries.get(2)).isNull();
        assertThat(entries.get(3)).isEqualTo("3");
        assertThat(entries.get(5)).isEqualTo("5");
    }

    /**
     * Issue 25: the event log dropped the oldest runs' events beyond a count of its own, so a flood of other runs
     * took the events of a run still executing, and its followers never saw the end. Events now go with their run.
     */
    @Test
    void theMemoryEventLogKeepsARunsEventsUntilTheRunIsDropped() {
        MemoryRunEventLog log = new MemoryRunEventLog(clock, Duration.ofHours(1), Duration.ofHours(1),
                new CompactHistory(new EventPayloads(TestJson.mapper())));
        UUID live = UUID.randomUUID();
        log.append(live, EventType.RUN_STARTED, TextNode.valueOf("a")).await().indefinitely();
        for (int i = 0; i < 1_000; i++) {
            log.append(UUID.randomUUID(), EventType.RUN_STARTED, TextNode.valueOf("b")).await().indefinitely();
        }
        var followed = log.stream(live, null).collect().asList().subscribeAsCompletionStage();
        log.append(live, EventType.RUN_COMPLETED, TextNode.valueOf("c")).await().indefinitely();

        assertThat(followed.toCompletableFuture().join()).extracting(RunEvent::id).containsExactly("1", "2");

        UUID dropped = UUID.randomUUID();
        log.append(dropped, EventType.RUN_STARTED, TextNode.valueOf("d")).await().indefinitely();
        log.forget(dropped);
        assertThat(log.replay(dropped, null).collect().asList().await().atMost(Duration.ofSeconds(5)))
                .as("a dropped run's events go with it").isEmpty();
    }
}
