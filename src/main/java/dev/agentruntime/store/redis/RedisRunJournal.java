package dev.agentruntime.store.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.store.RunJournal;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The run key, its index entry and its event stream written by one Lua script. */
public final class RedisRunJournal implements RunJournal {

    private static final LuaScript RECORD = LuaScript.load("run_record");
    private static final LuaScript TRANSITION = LuaScript.load("run_transition");

    private static LuaScript.Invocation recordCall(RunWrite run, String events, String unfinished, EventType type,
                                                   String data, boolean ends) {
        return RECORD.with(run.keys(events, unfinished), run.args(type.wireName(), data, ends ? "1" : "0"));
    }

    /** {@code type} and {@code data} may be null: the run is saved without an event. */
    private static LuaScript.Invocation transitionCall(String run, String events, String unfinished,
                                                       RunStatus expected, String json, long expireAtMs,
                                                       EventType type, String data, boolean ends, String runId) {
        return TRANSITION.with(List.of(run, events, unfinished), List.of(expected.wireName(), json,
                Long.toString(expireAtMs), type == null ? "" : type.wireName(), data == null ? "" : data,
                ends ? "1" : "0", runId));
    }

    private final RedisSupport redis;
    private final Clock clock;
    private final Duration ttl;

    RedisRunJournal(RedisSupport redis, Clock clock, Duration ttl) {
        this.redis = redis;
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public Uni<Boolean> record(Run run, EventType eventType, JsonNode eventData) {
        return redis.run(recordCall(RunWrite.of(redis, run, ttl, clock), redis.eventsKey(run.runId()),
                redis.unfinishedKey(run.tenant()), eventType, eventData.toString(), run.status().isTerminal()))
                .map(reply -> reply.toInteger() == 1);
    }

    @Override
    public Uni<Boolean> transition(RunStatus expected, Run next, EventType eventType, JsonNode eventData) {
        long expireAt = next.createdAt().toEpochMilli() + ttl.toMillis();
        return redis.run(transitionCall(redis.runKey(next.runId()), redis.eventsKey(next.runId()),
                        redis.unfinishedKey(next.tenant()), expected, redis.write(next), expireAt, eventType,
                        eventData == null ? null : eventData.toString(), next.status().isTerminal(),
                        next.runId().toString()))
                .map(reply -> reply.toInteger() == 1);
    }
}
