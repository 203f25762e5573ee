package dev.agentruntime.store.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Entries that expire a fixed time after they were first written, at most {@code maxEntries} of them, for the
 * memory store. Entries sit in creation order, so eviction only ever looks at the oldest: a write costs O(1)
 * however many entries are kept (a scan of every entry per write made the memory store slower with each run).
 */
public final class ExpiringEntries<K, V> {

    private record Timed<V>(V value, Instant created) {
    }

    private final Map<K, Timed<V>> entries = new LinkedHashMap<>();
    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;

    public ExpiringEntries(Clock clock, Duration ttl, int maxEntries) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
    }

    public synchronized V get(K key) {
        Timed<V> timed = entries.get(key);
        return timed == null || expired(timed) ? null : timed.value();
    }

    synchronized V computeIfAbsent(K key, Function<K, V> create) {
        V current = get(key);
        if (current != null) {
            return current;
        }
        return store(key, create.apply(key));
    }

    /** Stores {@code value} unless a live entry exists; returns that entry, or null when this one was stored. */
    synchronized V putIfAbsent(K key, V value) {
        V current = get(key);
        if (current == null) {
            store(key, value);
        }
        return current;
    }

    /** Replaces the value, keeping the entry's creation time (and so its expiry). */
    synchronized void replace(K key, V value) {
        Timed<V> timed = entries.get(key);
        entries.put(key, new Timed<>(value, timed == null ? clock.instant() : timed.created()));
        evict();
    }

    /** Stores {@code value} as a new entry: its TTL starts now, whatever was there before. */
    public synchronized void put(K key, V value) {
        store(key, value);
    }

    /** Drops the entry; true when there was a live one. */
    public synchronized boolean remove(K key) {
        Timed<V> removed = entries.remove(key);
        return removed != null && !expired(removed);
    }

    /** A new entry (or one replacing an expired one) goes last: the newest. */
    private V store(K key, V value) {
        entries.remove(key);
        entries.put(key, new Timed<>(value, clock.instant()));
        evict();
        return value;
    }

    private boolean expired(Timed<V> timed) {
        return !timed.created().plus(ttl).isAfter(clock.instant());
    }

    private void evict() {
        Iterator<Timed<V>> oldestFirst = entries.values().iterator();
        while (oldestFirst.hasNext()) {
            Timed<V> oldest = oldestFirst.next();
            if (entries.size() <= maxEntries && !expired(oldest)) {
                return;
            }
            oldestFirst.remove();
        }
    }
}
