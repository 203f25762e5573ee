package dev.agentruntime.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The policy both queues share: each tenant at most its share of the slots; a freed slot to the fewest held. */
class TenantSharesTest {

    /** A run waiting for a slot: its tenant and its name in the test. */
    private record Waiting(String tenant, String name) {
    }

    private final TenantShares<Waiting> shares = new TenantShares<>(new TenantShares.Share(4, 3), Waiting::tenant);

    @Test
    void aTenantHoldsAtMostItsShareAndLeavesTheRestToOthers() {
        for (int i = 0; i < 3; i++) {
            assertThat(shares.tryTake("acme")).isTrue();
        }
        assertThat(shares.tryTake("acme")).as("acme holds its share").isFalse();
        assertThat(shares.free()).isEqualTo(1);
        assertThat(shares.tryTake("globex")).isTrue();
        assertThat(shares.tryTake("initech")).as("no slot left").isFalse();

        shares.release("acme");
        assertThat(shares.heldBy("acme")).isEqualTo(2);
        assertThat(shares.tryTake("initech")).isTrue();
    }

    @Test
    void aWaitingRunOfATenantAtItsShareIsPassedOverNotInTheWay() {
        offer("acme", 5);
        List<String> started = startAll();
        assertThat(started).containsExactly("acme-1", "acme-2", "acme-3");
        offer("globex", 1);

        assertThat(startAll()).as("globex's run starts ahead of acme's older ones").containsExactly("globex-1");
        assertThat(shares.waiting()).isEqualTo(2);
        shares.release("acme");
        assertThat(startAll()).containsExactly("acme-4");
    }

    @Test
    void freedSlotsGoToTheTenantHoldingTheFewestThenInTurn() {
        TenantShares<Waiting> two = new TenantShares<>(new TenantShares.Share(2, 2), Waiting::tenant);
        two.tryTake("busy");
        two.tryTake("busy");
        two.offer(new Waiting("acme", "acme-1"));
        two.offer(new Waiting("acme", "acme-2"));
        two.offer(new Waiting("acme", "acme-3"));
        two.offer(new Waiting("globex", "globex-1"));
        two.offer(new Waiting("initech", "initech-1"));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            assertThat(two.next()).as("every slot is taken").isNull();
            // A slot frees up (busy's first, then whichever run started earliest here).
            two.release(i < 2 ? "busy" : order.get(i - 2).substring(0, order.get(i - 2).indexOf('-')));
            order.add(two.next().name());
        }
        // Not the arrival order (acme-1, acme-2, acme-3, globex-1, initech-1).
        assertThat(order).containsExactly("acme-1", "globex-1", "initech-1", "acme-2", "acme-3");
    }

    @Test
    void aRunThatAsksForASlotDirectlyDoesNotOvertakeOneWaitingThatMayStart() {
        for (int i = 0; i < 3; i++) {
            assertThat(shares.tryTake("globex")).isTrue();
        }
        offer("acme", 1);
        assertThat(shares.tryTake("initech")).as("acme-1 waits for the last slot").isFalse();
        assertThat(shares.next().name()).isEqualTo("acme-1");
    }

    @Test
    void aTakenOverRunTakesItsSlotPastTheShareAndCountsInIt() {
        for (int i = 0; i < 3; i++) {
            shares.tryTake("acme");
        }
        shares.takeOver("acme");
        assertThat(shares.heldBy("acme")).isEqualTo(4);
        assertThat(shares.free()).isZero();
        shares.release("acme");
        assertThat(shares.tryTake("acme")).as("still past its share").isFalse();
    }

    @Test
    void drainHandsBackEverythingThatWaits() {
        offer("acme", 2);
        offer("globex", 1);
        assertThat(shares.drain()).extracting(Waiting::name).containsExactly("acme-1", "acme-2", "globex-1");
        assertThat(shares.waiting()).isZero();
        assertThat(shares.next()).isNull();
    }

    @Test
    void theDefaultShareKeepsAQuarterForOthersUnlessThereIsOneTenant() {
        assertThat(TenantShares.Share.byDefault(32, false)).isEqualTo(new TenantShares.Share(32, 24));
        assertThat(TenantShares.Share.byDefault(32, true)).isEqualTo(new TenantShares.Share(32, 32));
        assertThat(TenantShares.Share.byDefault(4, false).perTenant()).isEqualTo(3);
        assertThat(TenantShares.Share.byDefault(2, false).perTenant()).isEqualTo(1);
        assertThat(TenantShares.Share.byDefault(1, false).perTenant()).as("one slot: nothing to keep").isEqualTo(1);
    }

    @Test
    void aShareOutsideTheSlotsIsRefused() {
        assertThatThrownBy(() -> new TenantShares.Share(4, 5)).hasMessageContaining("between 1 and the 4 slots");
        assertThatThrownBy(() -> new TenantShares.Share(4, 0)).hasMessageContaining("not 0");
        assertThatThrownBy(() -> new TenantShares.Share(0, 1)).hasMessageContaining("at least one slot");
    }

    private void offer(String tenant, int count) {
        for (int i = 1; i <= count; i++) {
            shares.offer(new Waiting(tenant, tenant + "-" + i));
        }
    }

    private List<String> startAll() {
        List<String> started = new ArrayList<>();
        Waiting next;
        while ((next = shares.next()) != null) {
            started.add(next.name());
        }
        return started;
    }
}
