package dev.agentruntime.execution;

import dev.agentruntime.security.AuthConfig;
import dev.agentruntime.store.QueueConfig;
import dev.agentruntime.store.TenantShares;
import dev.agentruntime.testing.TestAuth;
import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A tenant's share of the executor slots: the default depends on whether there can be another tenant. */
class ExecutorSlotsTest {

    @Test
    void withOneTenantItMayUseEverySlotWithSeveralAQuarterStaysForTheOthers() {
        assertThat(ExecutorSlots.share(queue(32, OptionalInt.empty()), TestAuth.mode(AuthConfig.Mode.OFF)))
                .isEqualTo(new TenantShares.Share(32, 32));
        assertThat(ExecutorSlots.share(queue(32, OptionalInt.empty()), TestAuth.mode(AuthConfig.Mode.API_KEY)))
                .isEqualTo(new TenantShares.Share(32, 24));
        assertThat(ExecutorSlots.share(queue(32, OptionalInt.empty()), TestAuth.mode(AuthConfig.Mode.JWT)))
                .isEqualTo(new TenantShares.Share(32, 24));
        assertThat(ExecutorSlots.share(queue(32, OptionalInt.of(8)), TestAuth.mode(AuthConfig.Mode.OFF)))
                .as("a configured share is kept as it is").isEqualTo(new TenantShares.Share(32, 8));
    }

    @Test
    void aShareOutsideTheSlotsRefusesToStartNamingTheVariable() {
        assertThatThrownBy(() -> ExecutorSlots.share(queue(32, OptionalInt.of(33)),
                TestAuth.mode(AuthConfig.Mode.API_KEY)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("AGENT_QUEUE_MAX_CONCURRENT_PER_TENANT must be between 1 and AGENT_QUEUE_MAX_CONCURRENT "
                        + "(32), not 33");
        assertThatThrownBy(() -> ExecutorSlots.share(queue(32, OptionalInt.of(0)),
                TestAuth.mode(AuthConfig.Mode.API_KEY)))
                .isInstanceOf(ConfigurationException.class).hasMessageEndingWith("not 0");
        assertThatThrownBy(() -> ExecutorSlots.share(queue(0, OptionalInt.empty()), TestAuth.mode(AuthConfig.Mode.OFF)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("AGENT_QUEUE_MAX_CONCURRENT must be at least 1, not 0");
    }

    private static QueueConfig queue(int slots, OptionalInt perTenant) {
        return new QueueConfig() {
            public int maxQueued() {
                return 1000;
            }

            public int maxUnfinishedPerTenant() {
                return 100;
            }

            public int maxConcurrent() {
                return slots;
            }

            public OptionalInt maxConcurrentPerTenant() {
                return perTenant;
            }

            public Duration claimIdle() {
                return Duration.ofSeconds(15);
            }

            public int maxClaims() {
                return 2;
            }

            public Optional<String> consumerName() {
                return Optional.empty();
            }
        };
    }

}
