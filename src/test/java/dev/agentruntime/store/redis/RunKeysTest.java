package dev.agentruntime.store.redis;

import dev.agentruntime.redis.KeySpace;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The run store's keys: every key a run's scripts touch carries its partition's hash tag first, so that on Redis
 * Cluster they share one slot (ADR 0032); the names are pinned, since data is stored under them.
 */
class RunKeysTest {

    private static final UUID RUN = UUID.fromString("00000000-0000-0000-0000-00000000002a");

    @Test
    void everyKeyHasItsStoredName() {
        RunKeys keys = new RunKeys(new KeySpace("agent:"));

        assertThat(RunKeys.partition(RUN)).isEqualTo(42 % 16);
        assertThat(keys.run(RUN)).isEqualTo("agent:run:{p10}:" + RUN);
        assertThat(keys.runPrefix(10) + RUN).isEqualTo(keys.run(RUN));
        assertThat(keys.events(RUN)).isEqualTo("agent:run:{p10}:" + RUN + ":events");
        assertThat(keys.forks(RUN)).isEqualTo("agent:run:{p10}:" + RUN + ":forks");
        assertThat(keys.runIndex(10, "acme")).isEqualTo("agent:runs:by-time:{p10}:acme");
        assertThat(keys.unfinished(10, "acme")).isEqualTo("agent:runs:unfinished:{p10}:acme");
        assertThat(keys.awaiting(10, "acme")).isEqualTo("agent:runs:awaiting:{p10}:acme");
        assertThat(keys.approvalDeadlines(10)).isEqualTo("agent:approvals:due:{p10}");
        assertThat(keys.queue(10)).isEqualTo("agent:runs:queue:{p10}");
        assertThat(keys.idempotency("acme/k-1")).isEqualTo("agent:idem:acme/k-1");
        assertThat(keys.cancelFlag(RUN)).isEqualTo("agent:cancel:{p10}:" + RUN);
        assertThat(keys.cancellations()).isEqualTo("agent:cancellations");
        assertThat(keys.writeProbe()).isEqualTo("agent:health:write-probe");
    }

    /** Issue 31: on Redis Cluster a script whose keys span slots fails with CROSSSLOT. */
    @Test
    void everyKeyOfARunsScriptsIsInItsPartitionsSlot_whateverTheTenant() {
        RunKeys keys = new RunKeys(new KeySpace("agent:"));
        Set<Integer> partitions = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            UUID run = UUID.randomUUID();
            int partition = RunKeys.partition(run);
            partitions.add(partition);
            // A tenant id with braces must not move its keys out of the partition's slot.
            String tenant = i % 2 == 0 ? "acme" : "{evil}" + i;
            int slot = slot(keys.run(run));
            for (String key : List.of(keys.events(run), keys.cancelFlag(run), keys.runIndex(partition, tenant),
                    keys.unfinished(partition, tenant), keys.awaiting(partition, tenant),
                    keys.approvalDeadlines(partition), keys.queue(partition), keys.runPrefix(partition) + run,
                    keys.forks(run))) {
                assertThat(slot(key)).as(key).isEqualTo(slot);
            }
            // Issue 30: a fork's keys are in its source's slot, so one script writes the fork and the source's forks.
            UUID fork = RunKeys.inPartitionOf(run);
            assertThat(fork).isNotEqualTo(run);
            assertThat(fork.version()).isEqualTo(4);
            assertThat(slot(keys.run(fork))).isEqualTo(slot);
            assertThat(slot(keys.events(fork))).isEqualTo(slot);
        }
        assertThat(partitions).hasSize(RunKeys.PARTITIONS);
        assertThat(EventPoller.hashTag(keys.events(RUN))).isEqualTo("p10");
    }

    @Test
    void anEmptyPrefixIsNoPrefix_aMissingOneIsRefused() {
        assertThat(new RunKeys(new KeySpace("")).queue(3)).isEqualTo("runs:queue:{p3}");
        assertThatThrownBy(() -> new KeySpace(null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Redis Cluster's slot of a key: CRC16 (XMODEM) of its hash tag, or of the whole key, modulo 16384. */
    private static int slot(String key) {
        byte[] bytes = EventPoller.hashTag(key).getBytes(StandardCharsets.UTF_8);
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
                crc &= 0xffff;
            }
        }
        return crc % 16384;
    }
}
