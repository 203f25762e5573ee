package dev.agentruntime.store.redis;

import dev.agentruntime.run.StoreUnavailableException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission by memory: a run writes several times on its way to its end, so a Redis at its {@code maxmemory}
 * ({@code noeviction}) could take a new run and then refuse the writes that would end it. New runs are refused
 * while Redis uses more than its {@code maxmemory} minus a headroom, which leaves room for accepted runs to finish.
 * Redis is asked ({@code INFO memory}) only while runs are submitted: when the last answer is a second old, or
 * {@value #SUBMISSIONS_PER_READING} submissions old (a burst must not outrun the headroom on a reading taken before
 * it); a submission waits for the answer only when the last one said "nearly full" and is stale. On a Redis Cluster
 * every primary is asked and the fullest decides (ADR 0032): a run writes beyond its partition's primary (its
 * tenant's todos, idempotency keys, quotas, the plan cache live in other slots), so the headroom must hold wherever
 * it may write, and with runs spread evenly over the partitions the primaries fill alike.
 */
final class RedisMemoryWatch {

    private record Reading(long used, long max, long atMs) {
    }

    private final RedisSupport redis;
    private final Clock clock;
    private final int headroomPercent;
    /** At most this many submissions are admitted on one reading. */
    static final int SUBMISSIONS_PER_READING = 32;

    private final AtomicBoolean asking = new AtomicBoolean();
    private final AtomicInteger sinceReading = new AtomicInteger();
    private volatile Reading last = new Reading(0, 0, 0);

    RedisMemoryWatch(RedisSupport redis, Clock clock, int headroomPercent) {
        this.redis = redis;
        this.clock = clock;
        this.headroomPercent = headroomPercent;
    }

    /**
     * Fails with {@link StoreUnavailableException} when Redis is within the headroom of its maxmemory. A reading
     * older than a second is refreshed in the background, except when it says "nearly full": then the fresh one
     * decides, so runs are accepted again as soon as memory is freed.
     */
    Uni<Void> admit() {
        Reading reading = last;
        boolean stale = clock.millis() - reading.atMs() >= 1000
                || sinceReading.incrementAndGet() > SUBMISSIONS_PER_READING;
        if (!nearlyFull(reading)) {
            if (stale && asking.compareAndSet(false, true)) {
                read().subscribe().with(fresh -> { }, failure -> { });
            }
            return Uni.createFrom().voidItem();
        }
        Uni<Reading> current = stale ? read() : Uni.createFrom().item(reading);
        return current.flatMap(fresh -> nearlyFull(fresh)
                ? Uni.createFrom().failure(StoreUnavailableException.nearlyFull(fresh.used(), fresh.max()))
                : Uni.createFrom().voidItem());
    }

    private boolean nearlyFull(Reading reading) {
        return headroomPercent > 0 && reading.max() > 0
                && reading.used() > reading.max() - reading.max() * headroomPercent / 100;
    }

    private Uni<Reading> read() {
        return redis.onEveryPrimary(() -> List.of(Request.cmd(Command.INFO).arg("memory")))
                .map(infos -> {
                    long now = clock.millis();
                    last = infos.stream().map(info -> parse(info.get(0).toString(), now))
                            .max(java.util.Comparator.comparingDouble(RedisMemoryWatch::fullness))
                            .orElse(new Reading(0, 0, now));
                    sinceReading.set(0);
                    return last;
                })
                .onTermination().invoke(() -> asking.set(false));
    }

    /** The share of its maxmemory a node uses; 0 without one (it never refuses). */
    private static double fullness(Reading reading) {
        return reading.max() > 0 ? (double) reading.used() / reading.max() : 0;
    }

    private static Reading parse(String info, long atMs) {
        long used = 0;
        long max = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                used = Long.parseLong(line.substring("used_memory:".length()).strip());
            } else if (line.startsWith("maxmemory:")) {
                max = Long.parseLong(line.substring("maxmemory:".length()).strip());
            }
        }
        return new Reading(used, max, atMs);
    }
}
