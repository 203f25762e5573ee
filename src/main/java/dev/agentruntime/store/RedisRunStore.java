package dev.agentruntime.store;

import dev.agentruntime.run.Run;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs in Redis: {@code run:{id}} holds the run as JSON and expires a TTL after the run's creation;
 * {@code runs:by-time:{tenant}} (score = creation ms) orders a tenant's listing and is trimmed of expired entries on every write.
 */
public final class RedisRunStore implements RunStore {

    /**
     * How a run is written, shared by every script that writes one (save, submit, journal). KEYS[1]: the run,
     * KEYS[2]: its tenant's index; ARGV[1..5] come from {@link #saveArgs}. Further KEYS and ARGV follow these.
     */
    static final String SAVE_RUN = """
            redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[5])
            """;

    /** Atomic: never half a run. */
    private static final String SAVE = SAVE_RUN + "return 1\n";

    /** KEYS: index. ARGV: cutoff ms, first, last, run-key prefix. Newest first, expired entries skipped. */
    private static final String LIST = """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
            local ids = redis.call('ZREVRANGE', KEYS[1], ARGV[2], ARGV[3])
            local runs = {}
            for _, id in ipairs(ids) do
              local run = redis.call('GET', ARGV[4] .. id)
              if run then runs[#runs + 1] = run end
            end
            return runs
            """;

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
        return redis.eval(SAVE, saveKeys(redis, run), saveArgs(redis, run, ttl, clock)).replaceWithVoid();
    }

    @Override
    public Uni<Optional<Run>> find(UUID runId) {
        return redis.guard(redis.redis().value(String.class).get(redis.runKey(runId)))
                .map(json -> Optional.ofNullable(json).map(j -> redis.read(j, Run.class)));
    }

    @Override
    public Uni<List<Run>> list(String tenant, int limit, int offset) {
        return redis.eval(LIST, List.of(redis.runIndexKey(tenant)), cutoff(), offset, offset + limit - 1,
                        redis.key("run:"))
                .map(reply -> RedisSupport.strings(reply).stream().map(json -> redis.read(json, Run.class)).toList());
    }

    @Override
    public Uni<Void> ping() {
        return redis.guard(redis.redis().execute("PING")).replaceWithVoid();
    }

    /** The run key and its tenant's index, then {@code more} keys, for a script starting with {@link #SAVE_RUN}. */
    static List<String> saveKeys(RedisSupport redis, Run run, String... more) {
        List<String> keys = new ArrayList<>(List.of(redis.runKey(run.runId()), redis.runIndexKey(run.tenant())));
        keys.addAll(List.of(more));
        return keys;
    }

    /** JSON, expiry (creation + TTL), index score, id, index cutoff; then {@code more} arguments. */
    static Object[] saveArgs(RedisSupport redis, Run run, Duration ttl, Clock clock, Object... more) {
        long created = run.createdAt().toEpochMilli();
        List<Object> args = new ArrayList<>(List.of(redis.write(run), created + ttl.toMillis(), created,
                run.runId(), clock.millis() - ttl.toMillis()));
        args.addAll(List.of(more));
        return args.toArray();
    }

    private long cutoff() {
        return clock.millis() - ttl.toMillis();
    }
}
