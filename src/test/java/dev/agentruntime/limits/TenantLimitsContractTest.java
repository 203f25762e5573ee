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

    /** Issue 13, item 7: fixed one-minute windows let a tenant through twice its limit around a minute boundary. */
    @OnEveryBackend
    void theWindowSlidesSoNoMinuteLetsMoreThanTheLimitThrough(StoreBackends.Kind kind) {
        StoreBackends.Fixture store = kind.open(StoreBackends.Settings.defaults().withLimits(3, 0));
        TenantLimits limits = store.limits();
        // Just before a minute boundary, then just after it.
        store.clock().advance(Duration.ofMillis(60_000 - store.clock().millis() % 60_000 - 100));
        for (int i = 0; i < 3; i++) {
            assertThat(limits.acquireRun("acme").await().atMost(WAIT)).isZero();
        }
        store.clock().advance(Duration.ofMillis(200));

        Duration wait = limits.acquireRun("acme").await().atMost(WAIT);
        assertThat(wait).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(60));
        store.clock().advance(wait);
        assertThat(limits.acquireRun("acme").await().atMost(WAIT)).isZero();
    }
}
