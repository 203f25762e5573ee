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

    @Test
    void theMemoryEventLogForgetsTheOldestRunsBeyondItsBound() {
        MemoryRunEventLog log = new MemoryRunEventLog(clock, Duration.ofHours(1), 2, Duration.ofHours(1),
                new CompactHistory(new EventPayloads(TestJson.mapper())));
        UUID first = UUID.randomUUID();
        log.append(first, EventType.RUN_STARTED, TextNode.valueOf("a")).await().indefinitely();
        for (int i = 0; i < 2; i++) {
            log.append(UUID.randomUUID(), EventType.RUN_STARTED, TextNode.valueOf("b")).await().indefinitely();
        }
        UUID kept = UUID.randomUUID();
        log.append(kept, EventType.RUN_STARTED, TextNode.valueOf("c")).await().indefinitely();
        log.append(kept, EventType.RUN_COMPLETED, TextNode.valueOf("d")).await().indefinitely();

        assertThat(log.stream(kept, null).collect().asList().await().atMost(Duration.ofSeconds(5)))
                .extracting(RunEvent::id).containsExactly("1", "2");
        assertThat(log.stream(first, null).toUni().ifNoItem().after(Duration.ofMillis(200)).recoverWithItem((RunEvent) null)
                .await().indefinitely()).as("the evicted run's events are gone").isNull();
    }
}
