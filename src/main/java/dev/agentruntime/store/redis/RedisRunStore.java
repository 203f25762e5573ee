package dev.agentruntime.store.redis;

import dev.agentruntime.redis.LuaScript;
import dev.agentruntime.redis.RedisAccess;
import dev.agentruntime.run.Run;
import dev.agentruntime.store.RunStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs in Redis: {@code run:{pK}:<id>} holds the run as JSON and expires a TTL after the run's creation;
 * {@code runs:by-time:{pK}:<tenant>} (score = creation ms), one per partition, orders a tenant's listing, is trimmed
 * of expired entries on every listing and save, and on one submission in {@link RedisRunQueue#TRIM_EVERY}, and
 * expires with the tenant's newest run of the partition;
 * {@code runs:awaiting:{pK}:<tenant>} and {@code approvals:due:{pK}} index the runs awaiting approval (see
 * run_record.lua). Listings merge the partitions (ADR 0032).
 */
public final class RedisRunStore implements RunStore {

    private static final LuaScript SAVE = LuaScript.load("run_save");
    private static final LuaScript DUE = LuaScript.load("approvals_due");

    private final RedisSupport redis;
    private final Clock clock;
    private final Duration ttl;

    RedisRunStore(RedisSupport redis, Clock clock, Duration ttl) {
        this.redis = redis;
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public Uni<Void> save(Run run) {
        RunWrite write = RunWrite.of(redis, run, ttl, clock);
        return redis.run(SAVE.with(write.keys(), write.args())).replaceWithVoid();
    }

    @Override
    public Uni<Optional<Run>> find(UUID runId) {
        return redis.guard(redis.redis().value(String.class).get(redis.keys().run(runId)))
                .map(json -> Optional.ofNullable(json).map(redis::readRun));
    }

    @Override
    public Uni<Optional<Run>> findForFollower(UUID runId) {
        return redis.followers().send(io.vertx.mutiny.redis.client.Request.cmd(
                        io.vertx.mutiny.redis.client.Command.GET).arg(redis.keys().run(runId)))
                .map(json -> json == null ? Optional.<Run>empty() : Optional.of(redis.readRun(json.toString())));
    }

    /**
     * Each partition's newest {@code offset + limit} runs of the tenant (its index trimmed of expired entries first),
     * merged newest first as one sorted set would order them, then the page's runs read: two round trips on one
     * Redis, whatever the number of partitions (ADR 0032).
     */
    @Override
    public Uni<List<Run>> list(String tenant, int limit, int offset) {
        long cutoff = clock.millis() - ttl.toMillis();
        List<List<Request>> ranges = new ArrayList<>(RunKeys.PARTITIONS);
        for (int partition : RunKeys.partitions()) {
            String index = redis.keys().runIndex(partition, tenant);
            ranges.add(List.of(Request.cmd(Command.ZREMRANGEBYSCORE).arg(index).arg("-inf").arg(cutoff),
                    Request.cmd(Command.ZREVRANGE).arg(index).arg(0).arg(offset + limit - 1).arg("WITHSCORES")));
        }
        return redis.each(ranges).flatMap(replies -> page(ranked(replies, 2), limit, offset, id -> { }));
    }

    /**
     * The source's forks index ({@code run:{pK}:<id>:forks}, score = creation ms, written by the script that creates
     * each fork), then the page's runs: the forks share their source's partition (ADR 0033), so both round trips go
     * to one slot.
     */
    @Override
    public Uni<List<Run>> forks(Run source, int limit, int offset) {
        return redis.each(List.of(List.of(Request.cmd(Command.ZREVRANGE).arg(redis.keys().forks(source.runId()))
                        .arg(0).arg(offset + limit - 1).arg("WITHSCORES"))))
                .flatMap(replies -> page(ranked(replies, 1), limit, offset, id -> { }));
    }

    /** The same over the tenant's runs awaiting approval (most recent request first); expired entries are dropped. */
    @Override
    public Uni<List<Run>> awaitingApproval(String tenant, int limit, int offset) {
        List<List<Request>> ranges = new ArrayList<>(RunKeys.PARTITIONS);
        for (int partition : RunKeys.partitions()) {
            ranges.add(List.of(Request.cmd(Command.ZREVRANGE).arg(redis.keys().awaiting(partition, tenant)).arg(0)
                    .arg(offset + limit - 1).arg("WITHSCORES")));
        }
        return redis.each(ranges).flatMap(replies -> page(ranked(replies, 1), limit, offset,
                gone -> redis.redis().sortedSet(String.class)
                        .zrem(redis.keys().awaiting(RunKeys.partition(gone), tenant), gone.toString())
                        .subscribe().with(removed -> { }, failure -> { })));
    }

    /** Every partition's due approvals (each trimmed of expired runs by its script), at most {@code max}. */
    @Override
    public Uni<List<UUID>> approvalsDue(Instant now, int max) {
        List<Uni<List<String>>> due = new ArrayList<>(RunKeys.PARTITIONS);
        for (int partition : RunKeys.partitions()) {
            due.add(redis.run(DUE.with(List.of(redis.keys().approvalDeadlines(partition)),
                            List.of(Long.toString(now.toEpochMilli()), Integer.toString(max),
                                    redis.keys().runPrefix(partition))))
                    .map(RedisAccess::strings));
        }
        return Uni.join().all(due).andFailFast().map(lists -> lists.stream().flatMap(List::stream).limit(max)
                .map(UUID::fromString).toList());
    }

    @Override
    public Uni<Long> approvalsPending() {
        List<List<Request>> counts = new ArrayList<>(RunKeys.PARTITIONS);
        for (int partition : RunKeys.partitions()) {
            counts.add(List.of(Request.cmd(Command.ZCARD).arg(redis.keys().approvalDeadlines(partition))));
        }
        return redis.each(counts).map(replies -> replies.stream().mapToLong(Response::toLong).sum());
    }

    /** An id and its score in a partition's sorted set. */
    private record Ranked(String id, double score) {
    }

    /** The ranges read, every {@code stride}-th reply (the last of each partition's group), as one list. */
    private static List<Ranked> ranked(List<Response> replies, int stride) {
        List<Ranked> all = new ArrayList<>();
        for (int i = stride - 1; i < replies.size(); i += stride) {
            Response range = replies.get(i);
            // RESP3 answers [member, score] pairs, RESP2 a flat member, score, member, score… list.
            for (int j = 0; range != null && j < range.size(); j++) {
                Response item = range.get(j);
                if (item.type() == ResponseType.MULTI) {
                    all.add(new Ranked(item.get(0).toString(), item.get(1).toDouble()));
                } else {
                    all.add(new Ranked(item.toString(), range.get(++j).toDouble()));
                }
            }
        }
        return all;
    }

    /**
     * The page of the merged ranges, highest score first and, at equal scores, as {@code ZREVRANGE} orders members;
     * its runs read (one GET each, in one pipeline on one Redis). A run that has expired is left out and handed to
     * {@code gone}.
     */
    private Uni<List<Run>> page(List<Ranked> all, int limit, int offset, java.util.function.Consumer<UUID> gone) {
        List<UUID> ids = all.stream()
                .sorted(Comparator.comparingDouble(Ranked::score).thenComparing(Ranked::id).reversed())
                .skip(offset).limit(limit).map(ranked -> UUID.fromString(ranked.id())).toList();
        List<List<Request>> gets = ids.stream()
                .map(id -> List.of(Request.cmd(Command.GET).arg(redis.keys().run(id)))).toList();
        return redis.each(gets).map(replies -> {
            List<Run> runs = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                if (replies.get(i) == null) {
                    gone.accept(ids.get(i));
                } else {
                    runs.add(redis.readRun(replies.get(i).toString()));
                }
            }
            return runs;
        });
    }

    /** A tiny write that expires at once: refused (OOM) exactly when run writes would be. */
    @Override
    public Uni<Boolean> acceptsWrites() {
        return redis.guard(redis.redis().execute(io.vertx.redis.client.Command.SET, redis.keys().writeProbe(),
                        "1", "PX", "1000"))
                .replaceWith(true)
                .onFailure(failure -> RedisAccess.isError(failure, "OOM")).recoverWithItem(false);
    }

    @Override
    public Uni<Void> ping() {
        return redis.guard(redis.redis().execute(io.vertx.redis.client.Command.PING)).replaceWithVoid();
    }
}
