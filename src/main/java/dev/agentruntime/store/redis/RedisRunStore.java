package dev.agentruntime.store.redis;

import dev.agentruntime.redis.LuaScript;
import dev.agentruntime.redis.RedisAccess;
import dev.agentruntime.run.Run;
import dev.agentruntime.store.RunStore;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs in Redis: {@code run:{id}} holds the run as JSON and expires a TTL after the run's creation;
 * {@code runs:by-time:{tenant}} (score = creation ms) orders a tenant's listing, is trimmed of expired entries on
 * every listing and save, and on one submission in {@link RedisRunQueue#TRIM_EVERY}, and expires with the tenant's
 * newest run;
 * {@code runs:awaiting:{tenant}} and {@code approvals:due} index the runs awaiting approval (see run_record.lua).
 */
public final class RedisRunStore implements RunStore {

    private static final LuaScript SAVE = LuaScript.load("run_save");
    private static final LuaScript LIST = LuaScript.load("run_list");
    private static final LuaScript AWAITING = LuaScript.load("run_awaiting_list");
    private static final LuaScript DUE = LuaScript.load("approvals_due");

    private static LuaScript.Invocation listPageCall(String index, long cutoffMs, int first, int last,
                                                     String runKeyPrefix) {
        return LIST.with(List.of(index), List.of(Long.toString(cutoffMs), Integer.toString(first),
                Integer.toString(last), runKeyPrefix));
    }

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

    @Override
    public Uni<List<Run>> list(String tenant, int limit, int offset) {
        return redis.run(listPageCall(redis.keys().runIndex(tenant), clock.millis() - ttl.toMillis(), offset,
                        offset + limit - 1, redis.keys().runPrefix()))
                .map(reply -> RedisAccess.strings(reply).stream().map(redis::readRun).toList());
    }

    @Override
    public Uni<List<Run>> awaitingApproval(String tenant, int limit, int offset) {
        return redis.run(AWAITING.with(List.of(redis.keys().awaiting(tenant)), List.of(Integer.toString(offset),
                        Integer.toString(offset + limit - 1), redis.keys().runPrefix())))
                .map(reply -> RedisAccess.strings(reply).stream().map(redis::readRun).toList());
    }

    @Override
    public Uni<List<UUID>> approvalsDue(Instant now, int max) {
        return redis.run(DUE.with(List.of(redis.keys().approvalDeadlines()), List.of(Long.toString(now.toEpochMilli()),
                        Integer.toString(max), redis.keys().runPrefix())))
                .map(reply -> RedisAccess.strings(reply).stream().map(UUID::fromString).toList());
    }

    @Override
    public Uni<Long> approvalsPending() {
        return redis.guard(redis.redis().sortedSet(String.class).zcard(redis.keys().approvalDeadlines()));
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
