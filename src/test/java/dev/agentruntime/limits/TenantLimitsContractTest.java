package dev.agentruntime.limits;

import dev.agentruntime.run.Usage;
import dev.agentruntime.testing.OnEveryBackend;
import dev.agentruntime.testing.StoreBackends;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link TenantLimits} does: counts run starts per tenant and spends a daily token budget. */
class TenantLimitsContractTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @OnEveryBackend
    void runsOverTheRateWaitAndOtherTenantsGoOn(StoreBackends.Kind kind) {
        TenantLimits limits = kind.open(StoreBackends.Settings.defaults().withLimits(3, 0)).limits();
        for (int i = 0; i < 3; i++) {
            assertThat(limits.acquireRun("acme").await().atMost(WAIT)).isZero();
        }

        Duration wait = limits.acquireRun("acme").await().atMost(WAIT);
        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(limits.acquireRun("globex").await().atMost(WAIT)).isZero();
    }

    @OnEveryBackend
    void theBudgetIsExhaustedOnceTodaysTokensAreSpent(StoreBackends.Kind kind) {
        TenantLimits limits = kind.open(StoreBackends.Settings.defaults().withLimits(0, 100)).limits();
        limits.spend("acme", new Usage(40, 40, 0.0)).await().atMost(WAIT);
        assertThat(limits.budgetExhausted("acme").await().atMost(WAIT)).isFalse();

        limits.spend("acme", new Usage(10, 10, 0.0)).await().atMost(WAIT);

        assertThat(limits.budgetExhausted("acme").await().atMost(WAIT)).isTrue();
        assertThat(limits.budgetExhausted("globex").await().atMost(WAIT)).isFalse();
    }
}
