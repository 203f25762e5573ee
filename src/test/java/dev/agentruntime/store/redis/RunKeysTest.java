package dev.agentruntime.store.redis;

import dev.agentruntime.redis.KeySpace;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The run store's keys are the names data is already stored under: a Redis written by an earlier build reads on. */
class RunKeysTest {

    private static final UUID RUN = UUID.fromString("00000000-0000-0000-0000-00000000002a");

    @Test
    void everyKeyHasItsStoredName() {
        RunKeys keys = new RunKeys(new KeySpace("agent:"));

        assertThat(keys.run(RUN)).isEqualTo("agent:run:" + RUN);
        assertThat(keys.runPrefix() + RUN).isEqualTo(keys.run(RUN));
        assertThat(keys.events(RUN)).isEqualTo("agent:run:" + RUN + ":events");
        assertThat(keys.runIndex("acme")).isEqualTo("agent:runs:by-time:acme");
        assertThat(keys.unfinished("acme")).isEqualTo("agent:runs:unfinished:acme");
        assertThat(keys.awaiting("acme")).isEqualTo("agent:runs:awaiting:acme");
        assertThat(keys.approvalDeadlines()).isEqualTo("agent:approvals:due");
        assertThat(keys.queue()).isEqualTo("agent:runs:queue");
        assertThat(keys.idempotency("acme/k-1")).isEqualTo("agent:idem:acme/k-1");
        assertThat(keys.cancelFlag(RUN)).isEqualTo("agent:cancel:" + RUN);
        assertThat(keys.cancellations()).isEqualTo("agent:cancellations");
        assertThat(keys.writeProbe()).isEqualTo("agent:health:write-probe");
    }

    @Test
    void anEmptyPrefixIsNoPrefix_aMissingOneIsRefused() {
        assertThat(new RunKeys(new KeySpace("")).queue()).isEqualTo("runs:queue");
        assertThatThrownBy(() -> new KeySpace(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
