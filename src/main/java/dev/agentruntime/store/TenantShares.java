package dev.agentruntime.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Who may take one of this instance's executor slots: a tenant holds at most its share of them, so one tenant's long
 * or waiting runs always leave the rest to the others; a freed slot goes to the waiting tenant that holds the fewest
 * (in turn among equals), first come first served within a tenant. Kept apart from any store so that every queue
 * (the memory one, the Redis one, later a partitioned one) decides the same way (ADR 0024).
 *
 * @param <T> what waits for a slot: a run id, a stream entry
 */
public final class TenantShares<T> {

    /** How many runs this instance executes at once, and how many of them one tenant may hold. */
    public record Share(int slots, int perTenant) {

        public Share {
            if (slots < 1) {
                throw new IllegalArgumentException("an executor needs at least one slot, not " + slots);
            }
            if (perTenant < 1 || perTenant > slots) {
                throw new IllegalArgumentException("a tenant's share must be between 1 and the " + slots
                        + " slots, not " + perTenant);
            }
        }

        /**
         * All slots when there can be only one tenant (nobody to keep any for); otherwise all but a quarter (at least
         * one slot), which a tenant that holds its share leaves to the others.
         */
        public static Share byDefault(int slots, boolean oneTenant) {
            return new Share(slots, oneTenant ? slots : Math.max(1, slots - Math.max(1, slots / 4)));
        }
    }

    private final Share share;
    private final Function<T, String> tenantOf;
    /** Slots each tenant holds; a tenant holding none has no entry. */
    private final Map<String, Integer> held = new HashMap<>();
    /** What waits, by tenant, oldest first; a tenant with nothing waiting has no entry. */
    private final Map<String, ArrayDeque<T>> waiting = new HashMap<>();
    /** Tenants with something waiting, in the order they are served among equals (served ones go last). */
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private int used;
    private int waitingCount;

    public TenantShares(Share share, Function<T, String> tenantOf) {
        this.share = share;
        this.tenantOf = tenantOf;
    }

    /**
     * Takes a slot for {@code tenant} now, without waiting: when one is free, the tenant is below its share and
     * nothing that waits may take it first; false (and nothing taken) otherwise.
     */
    public synchronized boolean tryTake(String tenant) {
        if (used >= share.slots() || heldBy(tenant) >= share.perTenant() || pick() != null) {
            return false;
        }
        take(tenant);
        return true;
    }

    /**
     * Takes a slot for {@code tenant} whatever its share, even when none is free: for a run that already started
     * elsewhere and is taken over, which must not go back to waiting (see ADR 0024). It counts towards the share.
     */
    public synchronized void takeOver(String tenant) {
        take(tenant);
    }

    public synchronized void release(String tenant) {
        Integer count = held.get(tenant);
        if (count == null) {
            return;
        }
        used--;
        if (count == 1) {
            held.remove(tenant);
        } else {
            held.put(tenant, count - 1);
        }
    }

    /** Queues {@code item} behind what its tenant already has waiting. */
    public synchronized void offer(T item) {
        String tenant = tenantOf.apply(item);
        ArrayDeque<T> queue = waiting.get(tenant);
        if (queue == null) {
            queue = new ArrayDeque<>();
            waiting.put(tenant, queue);
            turns.add(tenant);
        }
        queue.add(item);
        waitingCount++;
    }

    /**
     * The next item that may take a slot now, with its slot taken; null when no slot is free or every tenant with
     * something waiting holds its share. Of the tenants that may, the one holding the fewest slots goes first, and
     * among those the one whose turn came first.
     */
    public synchronized T next() {
        if (used >= share.slots()) {
            return null;
        }
        String tenant = pick();
        if (tenant == null) {
            return null;
        }
        ArrayDeque<T> queue = waiting.get(tenant);
        T item = queue.poll();
        waitingCount--;
        turns.remove(tenant);
        if (queue.isEmpty()) {
            waiting.remove(tenant);
        } else {
            turns.add(tenant);
        }
        take(tenant);
        return item;
    }

    /** Removes and returns whatever waits, oldest first per tenant. */
    public synchronized List<T> drain() {
        List<T> all = new ArrayList<>(waitingCount);
        for (String tenant : turns) {
            all.addAll(waiting.get(tenant));
        }
        waiting.clear();
        turns.clear();
        waitingCount = 0;
        return all;
    }

    /** Slots not taken. */
    public synchronized int free() {
        return Math.max(0, share.slots() - used);
    }

    /** Slots taken. */
    public synchronized int used() {
        return used;
    }

    /** Items waiting for a slot. */
    public synchronized int waiting() {
        return waitingCount;
    }

    /** Slots {@code tenant} holds. */
    public synchronized int heldBy(String tenant) {
        return held.getOrDefault(tenant, 0);
    }

    /** The tenant whose waiting item goes next, or null when every tenant waiting holds its share. */
    private String pick() {
        String best = null;
        int fewest = share.perTenant();
        for (Iterator<String> it = turns.iterator(); it.hasNext() && fewest > 0; ) {
            String tenant = it.next();
            int holds = heldBy(tenant);
            if (holds < fewest) {
                best = tenant;
                fewest = holds;
            }
        }
        return best;
    }

    private void take(String tenant) {
        used++;
        held.merge(tenant, 1, Integer::sum);
    }
}
