package dev.agentruntime.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The run key, its index entry and its event stream written by one Lua script. */
public final class RedisRunJournal implements RunJournal {

    /** KEYS: run, index, events. ARGV: json, expire-at ms, created ms, id, cutoff ms, event type, event data. */
    private static final String RECORD = RedisRunStore.SAVE_RUN + """
            redis.call('XADD', KEYS[3], '*', 'type', ARGV[6], 'data', ARGV[7])
            redis.call('PEXPIREAT', KEYS[3], ARGV[2])
            return 1
            """;

    /** KEYS: run, events. ARGV: expected status, json, expire-at ms, event type ('' for none), event data. */
    private static final String TRANSITION = """
            local current = redis.call('GET', KEYS[1])
            if not current or cjson.decode(current).status ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
            if ARGV[4] ~= '' then
              redis.call('XADD', KEYS[2], '*', 'type', ARGV[4], 'data', ARGV[5])
              redis.call('PEXPIREAT', KEYS[2], ARGV[3])
            end
            return 1
            """;

    private final RedisSupport redis;
    private final Clock clock;
    private final Duration ttl;

    RedisRunJournal(RedisSupport redis, Clock clock, Duration ttl) {
        this.redis = redis;
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public Uni<Void> record(Run run, String eventType, JsonNode eventData) {
        return redis.eval(RECORD, RedisRunStore.saveKeys(redis, run, redis.eventsKey(run.runId())),
                RedisRunStore.saveArgs(redis, run, ttl, clock, eventType, eventData.toString())).replaceWithVoid();
    }

    @Override
    public Uni<Boolean> transition(RunStatus expected, Run next, String eventType, JsonNode eventData) {
        long expireAt = next.createdAt().toEpochMilli() + ttl.toMillis();
        return redis.eval(TRANSITION, List.of(redis.runKey(next.runId()), redis.eventsKey(next.runId())),
                expected.wireName(), redis.write(next), expireAt, eventType == null ? "" : eventType,
                eventData == null ? "" : eventData.toString()).map(reply -> reply.toInteger() == 1);
    }
}
